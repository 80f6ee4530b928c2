/** Where a buffered event came from, so commits can stop before events still held in open windows. */
export interface SourcePosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface TimedEvent<T> {
  eventTimeMs: number;
  value: T;
  source: SourcePosition;
}

export type StreamModality = 'SENSOR' | 'AUDIO' | 'IMAGE';

export interface WindowConfig {
  /** Window length (event time). */
  lengthMs: number;
  /** Distance between window starts; windows overlap when hop < length. */
  hopMs: number;
  /** How long after a window's end we wait for stragglers before closing it. */
  allowedLatenessMs: number;
  /** Modalities a complete window should have; absent ones are reported as missing. */
  expected: readonly StreamModality[];
  /** Wall-clock silence after which a modality stops holding the device's watermark back (default 5 s). */
  modalityIdleMs?: number;
  /**
   * Where this device's grid sits: windows start at k·hop + phaseMs, 0 ≤ phaseMs < hop (default 0, the epoch
   * grid). See `staggeredPhaseMs`: a per-device phase spreads a fleet's window closings over the hop.
   */
  phaseMs?: number;
}

/** One device's events of every modality for one [startMs, endMs) interval, each list sorted by event time. */
export interface AlignedWindow<S = unknown, A = unknown, I = unknown> {
  deviceId: string;
  startMs: number;
  endMs: number;
  sensor: TimedEvent<S>[];
  audio: TimedEvent<A>[];
  image: TimedEvent<I>[];
  missing: StreamModality[];
  /**
   * Smallest offset per topic-partition among the events this window was cut from (possibly older than its
   * own events: a conservative bound). A consumer must not commit past these until the window is durable.
   */
  heldOffsets: ReadonlyMap<string, string>;
}

export type AddOutcome = 'accepted' | 'late' | 'before-start';

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

export type { StreamModality } from '@vigil/contracts';
import type { StreamModality } from '@vigil/contracts';

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
  /**
   * A run of this much event time without any event of the device is a silence, not a series of empty windows:
   * the grid jumps to the device's next event and the silence is reported once (`takeSilences`). Default 30 s.
   */
  silenceAfterMs?: number;
  /**
   * A sparse modality (an image every 5 s in 3 s windows) is *not due* in a window without an event while its
   * latest event is younger than `overdueAfterPeriods` of its observed period; only then is it *missing*.
   * Default 1.5.
   */
  overdueAfterPeriods?: number;
}

/** A modality's latest event before a window that has none of its own, and how old it is at the window's end. */
export interface CarriedEvent<T = unknown> {
  event: TimedEvent<T>;
  ageMs: number;
}

/** A span of event time in which a device sent nothing (reported once, instead of one empty window per hop). */
export interface DeviceSilence {
  deviceId: string;
  /** Event time of the last event before the silence. */
  lastEventMs: number;
  /** Event time of the first event after it. */
  resumedAtMs: number;
}

/** One device's events of every modality for one [startMs, endMs) interval, each list sorted by event time. */
export interface AlignedWindow<S = unknown, A = unknown, I = unknown> {
  deviceId: string;
  startMs: number;
  endMs: number;
  sensor: TimedEvent<S>[];
  audio: TimedEvent<A>[];
  image: TimedEvent<I>[];
  /** Expected modalities with no event in the window that are overdue (see `overdueAfterPeriods`). */
  missing: StreamModality[];
  /**
   * Expected modalities with no event in the window whose latest event is recent enough for their period (not
   * due here): that event, with its age. Scorers may use it; it is not counted as missing.
   */
  carried: Partial<Record<StreamModality, CarriedEvent>>;
  /**
   * Per modality, its latest event stamped before the window's start. An event that spans time (a sound chunk
   * is stamped at its first sample) may cover the window's first part although it is not one of the window's
   * own events: with 1 s chunks and a window grid off the chunk grid (staggered phases, clock skew) the
   * window's first few hundred ms are in it. Scorers that place spans in time use it; the rest ignore it.
   */
  leading?: Partial<Record<StreamModality, TimedEvent<unknown>>>;
  /**
   * Smallest offset per topic-partition among the events this window was cut from (possibly older than its
   * own events: a conservative bound). A consumer must not commit past these until the window is durable.
   */
  heldOffsets: ReadonlyMap<string, string>;
  /**
   * Event time of the device's first event per modality (since this assembler started): before it a stream
   * had not begun, so a window's lead-in before it is no dropout. Absent: unknown.
   */
  firstEventMs?: Partial<Record<StreamModality, number>>;
  /**
   * Set on the windows of a device that went quiet (flushed, not closed by the watermark): the event time of its
   * newest event, any modality. After it the device's stream had ended, so a window's tail past it is no dropout.
   */
  streamEndMs?: number;
}

export type AddOutcome = 'accepted' | 'late' | 'before-start';

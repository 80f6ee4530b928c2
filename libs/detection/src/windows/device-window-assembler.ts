/**
 * Aligns one device's sensor, audio and image events into event-time windows.
 *
 * - Windows are [k·hop + phase, k·hop + phase + length) on a grid fixed by the configuration and the device
 *   alone, so every instance and every restart cuts the same windows (their start is part of the result's
 *   idempotency key).
 * - Events are kept sorted by event time on insert, so out-of-order arrival is re-ordered.
 * - Each modality has its own progress: its largest event time, plus the wall-clock time since its last
 *   event (capped at the device's largest event time on any modality). The device's watermark is the slowest
 *   *active* modality's progress minus the allowed lateness, so a modality consumed behind the others (a
 *   backlog on its topic, a restart) holds windows open instead of seeing them close without it, while a
 *   sparse but live one (an image every few seconds) does not hold every window until its next event. A modality
 *   that has sent nothing for `modalityIdleMs` of wall-clock time (an outage, a camera that is off) stops
 *   holding the watermark back; an expected modality not seen yet holds it for that long after the device's
 *   first event, so a backlog that reaches us one topic at a time does not close windows on the first topic
 *   alone. A window closes once the watermark passes its end. An event older than
 *   every still-open window is *late*: it is reported, not buffered (the caller routes it to the late topic).
 * - A modality with no event in a closed window is listed in `missing` once it is overdue for its observed period;
 *   before that (a sparse stream between two of its events) its latest event is `carried` into the window, with
 *   its age. At start-up, a camera with one frame (no period yet) is carried for up to `modalityIdleMs`, and one
 *   with none yet is not called missing in windows ending within `modalityIdleMs` of the device's first event
 *   (its own phase may start it later). The window is emitted either way.
 * - A device that sends nothing for `silenceAfterMs` of event time gets no empty window per hop of the silence:
 *   the grid jumps to its next event and the silence is reported once (`takeSilences()`).
 * - The window grid's first window is fixed when the first window closes (the earliest buffered event), not by
 *   the first event to arrive: after a restart the modalities' replays may arrive in any order.
 * - `resumeAfter` skips windows emitted before a restart (their results are already durable).
 *
 * @example
 *   const a = new DeviceWindowAssembler('dev-1', { lengthMs: 3000, hopMs: 1000, allowedLatenessMs: 500, expected: ['SENSOR'] });
 *   a.add('SENSOR', { eventTimeMs: t, value: reading, source });
 *   for (const w of a.closeReady()) score(w);
 */
import { STREAM_MODALITIES as MODALITIES } from '@vigil/contracts';
import { sensorFrameScorable } from './sensor-frame';
import type { AddOutcome, AlignedWindow, CarriedEvent, DeviceSilence, SourcePosition, StreamModality, TimedEvent, WindowConfig } from './types';

export const DEFAULT_MODALITY_IDLE_MS = 5000;
export const DEFAULT_SILENCE_AFTER_MS = 30_000;
export const DEFAULT_OVERDUE_AFTER_PERIODS = 1.5;
/**
 * Modalities whose events are snapshots of a state (a frame), sent at their own period and phase: at start-up,
 * before their period is known, they are not called missing (see `notDue`, `notStartedYet`). Sensor readings and
 * sound chunks are continuous streams: a gap in them is a gap from the first event on.
 */
const SNAPSHOT_MODALITIES: readonly StreamModality[] = ['IMAGE'];
/** Weight of a new inter-event gap in a modality's period estimate (an exponential moving average). */
const PERIOD_SMOOTHING = 0.2;

export class DeviceWindowAssembler {
  private readonly buffers: Record<StreamModality, TimedEvent<unknown>[]> = { SENSOR: [], AUDIO: [], IMAGE: [] };
  private maxEventTimeMs = Number.NEGATIVE_INFINITY;
  private readonly progress: Record<StreamModality, { maxEventTimeMs: number; lastArrivalMs: number }> = {
    SENSOR: { maxEventTimeMs: Number.NEGATIVE_INFINITY, lastArrivalMs: Number.NEGATIVE_INFINITY },
    AUDIO: { maxEventTimeMs: Number.NEGATIVE_INFINITY, lastArrivalMs: Number.NEGATIVE_INFINITY },
    IMAGE: { maxEventTimeMs: Number.NEGATIVE_INFINITY, lastArrivalMs: Number.NEGATIVE_INFINITY },
  };
  /** Per modality: its period estimate (event time between its events) and its latest event already evicted. */
  private readonly cadence: Record<StreamModality, { periodMs: number | undefined; lastEventMs: number; lastEvicted: TimedEvent<unknown> | undefined }> = {
    SENSOR: { periodMs: undefined, lastEventMs: Number.NEGATIVE_INFINITY, lastEvicted: undefined },
    AUDIO: { periodMs: undefined, lastEventMs: Number.NEGATIVE_INFINITY, lastEvicted: undefined },
    IMAGE: { periodMs: undefined, lastEventMs: Number.NEGATIVE_INFINITY, lastEvicted: undefined },
  };
  private silences: DeviceSilence[] = [];
  /** Start of the next window to emit; undefined until the first event fixes the grid position. */
  private nextStartMs: number | undefined;
  private lastEventAtMs = 0;
  /** Wall-clock time of the first event: expected modalities not seen yet are waited for from here. */
  private firstSeenMs: number | undefined;
  /** Event time of the first accepted event per modality: where each stream begins (see AlignedWindow.firstEventMs). */
  private readonly firstEventMs: Partial<Record<StreamModality, number>> = {};
  /** Until the first window closes, events before it are start-up stragglers, not late events. */
  private emittedAny = false;
  /**
   * retainedOffsets() computed once and kept up to date on add; dropped when closing windows evicts events.
   * The commit decision runs per consumed batch, so rescanning every buffered event each time is too costly.
   */
  private retained: Map<string, string> | undefined;
  private readonly phaseMs: number;

  constructor(
    readonly deviceId: string,
    private readonly cfg: WindowConfig,
    /** Start of the last window emitted before a restart, if any. */
    resumeAfterStartMs?: number,
  ) {
    if (cfg.hopMs <= 0 || cfg.lengthMs <= 0 || cfg.lengthMs % cfg.hopMs !== 0) {
      throw new RangeError(`window length ${cfg.lengthMs} ms must be a positive multiple of hop ${cfg.hopMs} ms`);
    }
    this.phaseMs = cfg.phaseMs ?? 0;
    if (!Number.isInteger(this.phaseMs) || this.phaseMs < 0 || this.phaseMs >= cfg.hopMs) {
      throw new RangeError(`window phase ${cfg.phaseMs} ms must be an integer in [0, hop ${cfg.hopMs} ms)`);
    }
    if (resumeAfterStartMs !== undefined) this.nextStartMs = resumeAfterStartMs + cfg.hopMs;
  }

  /** Slowest active modality's progress minus the allowed lateness (see the module note). */
  watermarkMs(nowMs = Date.now()): number {
    const idleMs = this.idleMs;
    let slowest = Number.POSITIVE_INFINITY;
    for (const m of MODALITIES) {
      const p = this.progress[m];
      const lastHeardMs = p.lastArrivalMs === Number.NEGATIVE_INFINITY && this.cfg.expected.includes(m) ? (this.firstSeenMs ?? nowMs) : p.lastArrivalMs;
      if (nowMs - lastHeardMs > idleMs) continue;
      // Between its events a live stream's time moves on with the wall clock, never past what the device's
      // other streams have shown: a sparse modality (an image every 5 s) then does not hold each window until
      // its next event, while one consumed behind the others (its events arriving now, but old) still does.
      const progress =
        p.maxEventTimeMs === Number.NEGATIVE_INFINITY
          ? p.maxEventTimeMs
          : Math.min(p.maxEventTimeMs + Math.max(0, nowMs - p.lastArrivalMs), this.maxEventTimeMs);
      if (progress < slowest) slowest = progress;
    }
    // Every modality idle: the device went quiet; what it sent can close.
    if (slowest === Number.POSITIVE_INFINITY) slowest = this.maxEventTimeMs;
    return slowest - this.cfg.allowedLatenessMs;
  }

  /**
   * Wall-clock time at which the watermark will pass the next window's end with no further event, or undefined
   * when only new events can close it (the device's newest event is not past that end + lateness yet, or an
   * expected modality has not been heard from). Between their events the modalities' progress moves on with
   * the wall clock (see `watermarkMs`), so a window whose closing event has arrived, but whose other streams
   * were last consumed a few milliseconds later than it, closes a few milliseconds later by the clock alone: a
   * caller that re-checks then (a timer) does not wait for the device's next batch of traffic.
   */
  nextCloseAtMs(nowMs = Date.now()): number | undefined {
    if (this.nextStartMs === undefined) return undefined; // the grid is fixed by the first batch's close
    const needed = this.nextStartMs + this.cfg.lengthMs + this.cfg.allowedLatenessMs;
    if (needed > this.maxEventTimeMs) return undefined;
    const idleMs = this.idleMs;
    let at = nowMs;
    for (const m of MODALITIES) {
      const p = this.progress[m];
      if (p.lastArrivalMs === Number.NEGATIVE_INFINITY) {
        if (this.cfg.expected.includes(m)) return undefined; // awaited from the first event on: start-up
        continue;
      }
      if (nowMs - p.lastArrivalMs > idleMs) continue;
      at = Math.max(at, needed - p.maxEventTimeMs + p.lastArrivalMs);
    }
    return at;
  }

  /** Wall-clock time of the last accepted event (for idle eviction). */
  get lastActivityMs(): number {
    return this.lastEventAtMs;
  }

  add(modality: StreamModality, event: TimedEvent<unknown>, nowMs = Date.now()): AddOutcome {
    this.firstSeenMs ??= nowMs;
    if (this.nextStartMs !== undefined && event.eventTimeMs < this.nextStartMs) {
      return this.emittedAny ? 'late' : 'before-start';
    }
    insertSorted(this.buffers[modality], event);
    const first = this.firstEventMs[modality];
    if (first === undefined || event.eventTimeMs < first) this.firstEventMs[modality] = event.eventTimeMs;
    if (this.retained) keepMinOffset(this.retained, positionKey(event.source), event.source.offset);
    if (event.eventTimeMs > this.maxEventTimeMs) this.maxEventTimeMs = event.eventTimeMs;
    const p = this.progress[modality];
    if (event.eventTimeMs > p.maxEventTimeMs) p.maxEventTimeMs = event.eventTimeMs;
    p.lastArrivalMs = nowMs;
    this.lastEventAtMs = nowMs;
    const c = this.cadence[modality];
    const gap = event.eventTimeMs - c.lastEventMs;
    if (gap > 0 && Number.isFinite(gap)) {
      c.periodMs = c.periodMs === undefined ? gap : c.periodMs + PERIOD_SMOOTHING * (gap - c.periodMs);
      c.lastEventMs = event.eventTimeMs;
    } else if (c.lastEventMs === Number.NEGATIVE_INFINITY) c.lastEventMs = event.eventTimeMs;
    return 'accepted';
  }

  /** Silences skipped since the last call (see `silenceAfterMs`), oldest first. */
  takeSilences(): DeviceSilence[] {
    const out = this.silences;
    this.silences = [];
    return out;
  }

  /** Emit every window the watermark has passed, oldest first. */
  closeReady(nowMs = Date.now()): AlignedWindow[] {
    return this.closeUntil(this.watermarkMs(nowMs));
  }

  /** Close windows ending at or before `watermarkMs` (e.g. a wall-clock flush for an idle device). */
  closeUntil(watermarkMs: number): AlignedWindow[] {
    const out: AlignedWindow[] = [];
    let held: ReadonlyMap<string, string> | undefined;
    if (this.nextStartMs === undefined) {
      // The first window is the first one that starts at or after the earliest event: no partial window at start-up.
      const earliest = Math.min(...MODALITIES.map((m) => this.buffers[m][0]?.eventTimeMs ?? Number.POSITIVE_INFINITY));
      if (earliest === Number.POSITIVE_INFINITY) return out;
      this.nextStartMs = Math.ceil((earliest - this.phaseMs) / this.cfg.hopMs) * this.cfg.hopMs + this.phaseMs;
    }
    let start: number = this.nextStartMs;
    const silenceAfterMs = this.cfg.silenceAfterMs ?? DEFAULT_SILENCE_AFTER_MS;
    while (start + this.cfg.lengthMs <= watermarkMs) {
      const resumeAt = this.nextEventAtOrAfter(start);
      if (resumeAt - start >= silenceAfterMs && Number.isFinite(resumeAt)) {
        // A silence: jump to the first window holding the device's next event, and say so once.
        const lastEventMs = Math.max(...MODALITIES.map((m) => this.cadence[m].lastEvicted?.eventTimeMs ?? Number.NEGATIVE_INFINITY));
        if (Number.isFinite(lastEventMs)) this.silences.push({ deviceId: this.deviceId, lastEventMs, resumedAtMs: resumeAt });
        const { hopMs, lengthMs } = this.cfg;
        start = Math.max(start, (Math.floor((resumeAt - lengthMs - this.phaseMs) / hopMs) + 1) * hopMs + this.phaseMs);
        this.nextStartMs = start;
        continue;
      }
      const end = start + this.cfg.lengthMs;
      // Taken before this call evicts anything: it covers every event of the windows it closes (and maybe a
      // few older ones, which only makes it conservative), without a scan per window.
      held ??= new Map(this.retainedNow());
      const leading: NonNullable<AlignedWindow['leading']> = {};
      const window: AlignedWindow = {
        deviceId: this.deviceId,
        startMs: start,
        endMs: end,
        sensor: [],
        audio: [],
        image: [],
        missing: [],
        carried: {},
        leading,
        heldOffsets: held,
        firstEventMs: { ...this.firstEventMs },
      };
      for (const m of MODALITIES) {
        const events = slice(this.buffers[m], start, end);
        const before = this.latestBefore(m, start);
        if (before) leading[m] = before;
        if (m === 'SENSOR') window.sensor = events;
        else if (m === 'AUDIO') window.audio = events;
        else window.image = events;
        if (events.length === 0 && this.cfg.expected.includes(m)) {
          const carried = this.notDue(m, start, end);
          if (carried) window.carried[m] = carried;
          else if (!this.notStartedYet(m, end)) window.missing.push(m);
        }
      }
      out.push(window);
      start += this.cfg.hopMs;
      this.nextStartMs = start;
      this.emittedAny = true;
      // Events before the next window's start can never be used again (the latest of each is kept for `carried`).
      for (const m of MODALITIES) {
        const list = this.buffers[m];
        const n = lowerBound(list, start);
        if (n === 0) continue;
        this.cadence[m].lastEvicted = list[n - 1];
        list.splice(0, n);
        this.retained = undefined;
      }
    }
    return out;
  }

  /** Event time of the first buffered event at or after `t`, any modality (+∞ if none). */
  private nextEventAtOrAfter(t: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const m of MODALITIES) {
      const e = this.buffers[m][lowerBound(this.buffers[m], t)];
      if (e && e.eventTimeMs < next) next = e.eventTimeMs;
    }
    return next;
  }

  /** The latest event of `m` stamped before `start` (buffered, or the last one evicted). */
  private latestBefore(m: StreamModality, start: number): TimedEvent<unknown> | undefined {
    const list = this.buffers[m];
    const i = lowerBound(list, start);
    return i > 0 ? list[i - 1] : this.cadence[m].lastEvicted;
  }

  /** The latest event of `m` before a window without one, when it is not yet overdue for its period. */
  private notDue(m: StreamModality, start: number, end: number): CarriedEvent | undefined {
    const { periodMs } = this.cadence[m];
    const latest = this.latestBefore(m, start);
    if (!latest) return undefined;
    const ageMs = end - latest.eventTimeMs;
    // One frame so far, so no period yet (a camera's first frame, 5 s before its second): it is not due until it
    // has been quiet as long as a modality may be before it stops holding the watermark.
    if (periodMs === undefined) {
      const fresh = SNAPSHOT_MODALITIES.includes(m) && ageMs <= Math.max(this.idleMs + this.cfg.allowedLatenessMs, this.cfg.lengthMs);
      return fresh ? { event: latest, ageMs } : undefined;
    }
    const overdueMs = periodMs * (this.cfg.overdueAfterPeriods ?? DEFAULT_OVERDUE_AFTER_PERIODS) + this.cfg.allowedLatenessMs;
    return ageMs <= Math.max(overdueMs, this.cfg.lengthMs) && periodMs > this.cfg.hopMs ? { event: latest, ageMs } : undefined;
  }

  /**
   * An expected camera that has sent nothing yet, in a window ending within the idle time of the device's first
   * event: its stream may start a little after the device's others (an image every 5 s has its own phase), so it
   * is neither carried nor missing there. Later windows without it call it missing.
   */
  private notStartedYet(m: StreamModality, end: number): boolean {
    if (!SNAPSHOT_MODALITIES.includes(m)) return false;
    if (this.firstEventMs[m] !== undefined && this.firstEventMs[m] < end) return false;
    const deviceFirstMs = Math.min(...MODALITIES.map((k) => this.firstEventMs[k] ?? Number.POSITIVE_INFINITY));
    return end - deviceFirstMs <= this.idleMs + this.cfg.allowedLatenessMs;
  }

  private get idleMs(): number {
    return this.cfg.modalityIdleMs ?? DEFAULT_MODALITY_IDLE_MS;
  }

  /** Close every window holding a buffered event (an idle or departing device): partial windows included. */
  flushAll(): AlignedWindow[] {
    if (this.maxEventTimeMs === Number.NEGATIVE_INFINITY) return [];
    const streamEndMs = this.maxEventTimeMs;
    return this.closeUntil(this.maxEventTimeMs + this.cfg.lengthMs).map((w) => {
      const flushed = { ...w, streamEndMs };
      // Mostly past the stream's end, its sensor readings are too little of it to score (models leave the frame
      // out: sensorFrameScorable), so the window says the sensor is missing there rather than nothing at all.
      if (this.cfg.expected.includes('SENSOR') && !w.missing.includes('SENSOR') && !sensorFrameScorable(flushed)) flushed.missing = [...w.missing, 'SENSOR'];
      return flushed;
    });
  }

  /** Smallest offset per topic-partition among buffered events: commits must stop there. */
  retainedOffsets(into: Map<string, string>): void {
    for (const [key, offset] of this.retainedNow()) keepMinOffset(into, key, offset);
  }

  private retainedNow(): ReadonlyMap<string, string> {
    if (!this.retained) {
      this.retained = new Map();
      for (const m of MODALITIES) {
        for (const e of this.buffers[m]) keepMinOffset(this.retained, positionKey(e.source), e.source.offset);
      }
    }
    return this.retained;
  }

  get bufferedEvents(): number {
    return this.buffers.SENSOR.length + this.buffers.AUDIO.length + this.buffers.IMAGE.length;
  }
}

/**
 * A stable per-device grid phase in [0, hopMs): FNV-1a of the device id. With epoch-aligned grids a whole
 * fleet closes its windows in the same instant every hop, and the result latency of that burst grows with
 * the fleet; staggered grids spread the same work evenly over the hop. Any instance computes the same phase.
 */
export function staggeredPhaseMs(deviceId: string, hopMs: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < deviceId.length; i++) hash = Math.imul(hash ^ deviceId.charCodeAt(i), 0x01000193) >>> 0;
  return hash % Math.floor(hopMs);
}

/**
 * Records `offset` for `key` when it is the smallest seen: the earliest position a commit must not pass.
 * Offsets stay the decimal strings Kafka clients use; comparing them by length, then text, is numeric order
 * without parsing (this runs for every consumed event).
 */
export function keepMinOffset(into: Map<string, string>, key: string, offset: string): void {
  const current = into.get(key);
  if (current === undefined || offsetBefore(offset, current)) into.set(key, offset);
}

/** Numeric order of two canonical decimal offsets (no sign, no leading zeros). */
export function offsetBefore(a: string, b: string): boolean {
  return a.length !== b.length ? a.length < b.length : a < b;
}

const positionKeys = new Map<string, string[]>();

/** `topic#partition`, interned: one string per topic-partition however many events ask. */
export function positionKey(p: Pick<SourcePosition, 'topic' | 'partition'>): string {
  let byPartition = positionKeys.get(p.topic);
  if (!byPartition) {
    byPartition = [];
    positionKeys.set(p.topic, byPartition);
  }
  return (byPartition[p.partition] ??= `${p.topic}#${p.partition}`);
}

/** Insert keeping event-time order; appends in O(1) for the common in-order case. */
function insertSorted(list: TimedEvent<unknown>[], e: TimedEvent<unknown>): void {
  let i = list.length;
  while (i > 0 && list[i - 1]!.eventTimeMs > e.eventTimeMs) i--;
  list.splice(i, 0, e);
}

function lowerBound(list: TimedEvent<unknown>[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.eventTimeMs < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function slice(list: TimedEvent<unknown>[], start: number, end: number): TimedEvent<unknown>[] {
  return list.slice(lowerBound(list, start), lowerBound(list, end));
}

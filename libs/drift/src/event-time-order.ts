/**
 * Puts a fleet's latent stream back into event-time order before it reaches a `LatentWindowMonitor`. Kafka
 * keeps each device's vectors in order (one key, one partition), but the drift service consumes partitions
 * concurrently, so arrival order interleaves devices at different event times: while a backlog is read, a
 * partition with one device runs minutes ahead of one with three. A monitor fed in arrival order then builds
 * its reference and its windows from a mix of regimes — the reference holds shifted vectors, every window
 * drifts from the first, and the drift episode seems to start before the shift did.
 *
 * Vectors are held until the watermark passes them: the smallest latest event time over the devices seen,
 * ignoring devices more than `maxSkewMs` behind the most advanced one (gone quiet; their vectors, when they
 * come back, are released at once). Since every device's own vectors arrive in order, nothing released can
 * be overtaken later by an earlier vector of a device already seen. `maxBuffered` bounds memory: beyond it
 * the oldest are released early. A device never seen before can still arrive late; that only reorders its own
 * first vectors.
 *
 * @example
 *   const order = new EventTimeOrder<LatentVector>({ maxSkewMs: 300_000 });
 *   for (const vector of order.push(batch)) monitor.push(vector);
 */
import { DriftInputError } from './points';

export interface DeviceEvent {
  deviceId: string;
  windowStartMs: number;
}

export interface EventTimeOrderOptions {
  /** How far (event time) a device may lag behind the fleet before the watermark stops waiting for it. */
  maxSkewMs: number;
  /** The most vectors held; the oldest are released beyond it. */
  maxBuffered?: number;
}

export const DEFAULT_MAX_BUFFERED = 100_000;

export class EventTimeOrder<T extends DeviceEvent> {
  private readonly latest = new Map<string, number>();
  /** A binary min-heap on windowStartMs. */
  private readonly heap: T[] = [];
  private readonly maxSkewMs: number;
  private readonly maxBuffered: number;

  constructor(options: EventTimeOrderOptions) {
    this.maxSkewMs = options.maxSkewMs;
    this.maxBuffered = options.maxBuffered ?? DEFAULT_MAX_BUFFERED;
    if (!(this.maxSkewMs >= 0)) throw new DriftInputError(`maxSkewMs must be >= 0, got ${this.maxSkewMs}`);
    if (!(this.maxBuffered >= 1)) throw new DriftInputError(`maxBuffered must be >= 1, got ${this.maxBuffered}`);
  }

  get buffered(): number {
    return this.heap.length;
  }

  /** Takes a batch (any device mix); returns what the watermark now releases, oldest first. */
  push(events: readonly T[]): T[] {
    for (const event of events) {
      this.latest.set(event.deviceId, Math.max(this.latest.get(event.deviceId) ?? -Infinity, event.windowStartMs));
      this.insert(event);
    }
    const watermark = this.watermark();
    const released: T[] = [];
    while (this.heap.length > 0 && (this.heap[0]!.windowStartMs <= watermark || this.heap.length > this.maxBuffered)) released.push(this.popMin());
    return released;
  }

  /** Everything held, oldest first (shutdown, tests). */
  drain(): T[] {
    const released: T[] = [];
    while (this.heap.length > 0) released.push(this.popMin());
    return released;
  }

  private watermark(): number {
    let newest = -Infinity;
    for (const t of this.latest.values()) newest = Math.max(newest, t);
    let watermark = Infinity;
    for (const t of this.latest.values()) if (t >= newest - this.maxSkewMs) watermark = Math.min(watermark, t);
    return watermark;
  }

  private insert(event: T): void {
    const heap = this.heap;
    let i = heap.push(event) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.windowStartMs <= event.windowStartMs) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = event;
  }

  private popMin(): T {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const child = left + 1 < heap.length && heap[left + 1]!.windowStartMs < heap[left]!.windowStartMs ? left + 1 : left;
      if (heap[child]!.windowStartMs >= last.windowStartMs) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

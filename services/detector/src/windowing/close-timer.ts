/**
 * One timer for every device whose next window will close by the clock alone (`nextCloseAtMs`): when it fires,
 * the due devices are handed back together, so their windows close then instead of at the device's next batch.
 * With sound and images, a window's closing sensor event often arrives a few milliseconds before the watermark
 * of the other streams (consumed in other batches) passes its end; without a re-check it waited for the next
 * produce request of that device (100 ms in the bench, a whole hop for a slow sender).
 *
 * @example
 *   const timer = new CloseTimer((ids) => closeNow(ids));
 *   timer.schedule('dev-1', device.nextCloseAtMs(now), now);
 */
export interface CloseTimerClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

const realClock: CloseTimerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

export class CloseTimer {
  private readonly due = new Map<string, number>();
  private timer: unknown;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly onDue: (ids: string[]) => void,
    /** Further ahead than this the device's next traffic comes first (a hop); not worth a timer. */
    private readonly horizonMs: number,
    private readonly clock: CloseTimerClock = realClock,
  ) {}

  /** `atMs` undefined (or past the horizon): nothing to wake for; the device's next batch decides. */
  schedule(id: string, atMs: number | undefined, nowMs = this.clock.now()): void {
    if (this.stopped || atMs === undefined || atMs - nowMs > this.horizonMs) {
      this.due.delete(id);
      return;
    }
    this.due.set(id, atMs);
    if (atMs < this.timerAtMs) this.arm(atMs, nowMs);
  }

  get pending(): number {
    return this.due.size;
  }

  /** Nothing fires after this (graceful drain: open windows stay open for the next owner). */
  stop(): void {
    this.stopped = true;
    this.clear();
  }

  /** Forget every device (after a rejoin the assemblers are rebuilt). */
  clear(): void {
    this.due.clear();
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
  }

  private arm(atMs: number, nowMs: number): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timerAtMs = atMs;
    this.timer = this.clock.setTimer(() => this.fire(), Math.max(0, atMs - nowMs));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    const ids: string[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, at] of this.due) {
      if (at <= now) ids.push(id);
      else next = Math.min(next, at);
    }
    for (const id of ids) this.due.delete(id);
    if (next !== Number.POSITIVE_INFINITY) this.arm(next, now);
    if (ids.length > 0) this.onDue(ids);
  }
}

/**
 * Collects items from concurrent callers into one batch, run when it reaches `maxBatch` items or when the
 * oldest item has waited `deadlineMs`: one model call for windows from many partitions and devices, with a
 * bounded wait at low load. Each caller gets back the results for its own items, in order.
 *
 * @example
 *   const scorer = new MicroBatcher<Frame, number>((frames) => model.score(stack(frames)), { maxBatch: 64, deadlineMs: 20 });
 *   const scores = await scorer.submit(framesOfThisPartition);
 */
export interface MicroBatcherOptions {
  maxBatch: number;
  deadlineMs: number;
  /** Injectable timers keep tests instant. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

interface Pending<I, O> {
  items: I[];
  resolve: (out: O[]) => void;
  reject: (err: unknown) => void;
}

export class MicroBatcher<I, O> {
  private queue: Array<Pending<I, O>> = [];
  private queued = 0;
  private timer: unknown;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(
    private readonly run: (items: I[]) => O[] | Promise<O[]>,
    private readonly opts: MicroBatcherOptions,
  ) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  }

  submit(items: I[]): Promise<O[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      this.queued += items.length;
      if (this.queued >= this.opts.maxBatch) void this.flush();
      else if (this.timer === undefined) this.timer = this.setTimer(() => void this.flush(), this.opts.deadlineMs);
    });
  }

  /** Run everything queued now, in chunks of at most maxBatch items. */
  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
    const pending = this.queue;
    this.queue = [];
    this.queued = 0;
    if (pending.length === 0) return;
    const all = pending.flatMap((p) => p.items);
    try {
      const results: O[] = [];
      for (let i = 0; i < all.length; i += this.opts.maxBatch) results.push(...(await this.run(all.slice(i, i + this.opts.maxBatch))));
      if (results.length !== all.length) throw new Error(`batch function returned ${results.length} results for ${all.length} items`);
      let at = 0;
      for (const p of pending) {
        p.resolve(results.slice(at, at + p.items.length));
        at += p.items.length;
      }
    } catch (err) {
      for (const p of pending) p.reject(err);
    }
  }
}

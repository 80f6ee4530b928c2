/**
 * Group writes from concurrent partition handlers into few, large writes: one flush per interval (or
 * sooner when `maxItems` pile up). `add` resolves once the flush holding its items has succeeded, so a
 * handler that awaits it knows its results are durable before it lets its offsets be committed.
 *
 * @example
 *   const buffer = new FlushBuffer<Row>((rows) => repo.insert(rows), { intervalMs: 1000, maxItems: 5000 });
 *   await buffer.add(rows); // durable now
 */
export interface FlushBufferOptions {
  intervalMs: number;
  maxItems: number;
}

export class FlushBuffer<T> {
  private items: T[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private writing = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly opts: FlushBufferOptions,
  ) {}

  /** Items added and not yet written (buffered or being written). */
  get pending(): number {
    return this.items.length + this.writing;
  }

  add(items: T[]): Promise<void> {
    if (items.length === 0) return Promise.resolve();
    this.items.push(...items);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.items.length >= this.opts.maxItems) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.intervalMs);
    return done;
  }

  /** Write what is buffered now; flushes never overlap, so rows reach the sink in order. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const items = this.items;
    const waiters = this.waiters;
    this.items = [];
    this.waiters = [];
    this.writing += items.length;
    this.flushing = this.flushing.then(async () => {
      if (items.length === 0) return;
      try {
        await this.write(items);
        waiters.forEach((w) => w.resolve());
      } catch (err) {
        waiters.forEach((w) => w.reject(err));
      } finally {
        this.writing -= items.length;
      }
    });
    return this.flushing;
  }
}

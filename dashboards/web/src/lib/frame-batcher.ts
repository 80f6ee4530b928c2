/**
 * Collects live events and hands them over once per animation frame: a fleet that sends hundreds of results a
 * second causes one store update (and one chart redraw) per frame, not one per event. The scheduler is
 * injectable so specs run without a browser.
 *
 * @example
 *   const batcher = new FrameBatcher<LiveResult>((batch) => fleet.applyResults(batch));
 *   socket.on('result', (r) => batcher.add(r));
 */
export type FrameScheduler = (callback: () => void) => void;

const browserFrame: FrameScheduler = (callback) => {
  requestAnimationFrame(() => callback());
};

export class FrameBatcher<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly flush: (batch: T[]) => void,
    private readonly schedule: FrameScheduler = browserFrame,
  ) {}

  add(item: T): void {
    this.pending.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => {
      const batch = this.pending;
      this.pending = [];
      this.scheduled = false;
      this.flush(batch);
    });
  }
}

/**
 * Lets overlapping async calls run one phase each in the order the calls began: a call takes a turn when it
 * starts, does what may overlap, awaits `ready` (every earlier turn done), does its ordered part, and calls
 * `done` — also when it fails, so a failed call never blocks the ones after it.
 *
 * @example
 *   const turn = order.take();
 *   try { const scores = await model(batch); await turn.ready; judge(scores); } finally { turn.done(); }
 */
export class CallOrder {
  private last: Promise<void> = Promise.resolve();

  take(): { ready: Promise<void>; done: () => void } {
    const ready = this.last;
    let done!: () => void;
    this.last = new Promise<void>((resolve) => (done = resolve));
    return { ready, done };
  }
}

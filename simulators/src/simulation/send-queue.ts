/**
 * A binary min-heap of planned sends ordered by send time, ties broken by insertion order, so the send order is
 * a deterministic function of what was pushed.
 *
 * @example
 *   const queue = new SendQueue();
 *   queue.push(send);
 *   queue.popUntil(1_000); // every send with sendTimeMs < 1000, in order
 */
import type { PlannedSend } from './sim-event';

interface Entry {
  send: PlannedSend;
  order: number;
}

export class SendQueue {
  private readonly heap: Entry[] = [];
  private pushed = 0;

  get size(): number {
    return this.heap.length;
  }

  push(send: PlannedSend): void {
    this.heap.push({ send, order: this.pushed++ });
    let i = this.heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns, in order, every send due before `beforeMs` (all of them when omitted). */
  popUntil(beforeMs = Number.POSITIVE_INFINITY): PlannedSend[] {
    const out: PlannedSend[] = [];
    while (this.heap.length > 0 && this.heap[0]!.send.sendTimeMs < beforeMs) out.push(this.pop());
    return out;
  }

  private pop(): PlannedSend {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < this.heap.length && this.less(left, smallest)) smallest = left;
        if (right < this.heap.length && this.less(right, smallest)) smallest = right;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top.send;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.send.sendTimeMs < y.send.sendTimeMs || (x.send.sendTimeMs === y.send.sendTimeMs && x.order < y.order);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }
}

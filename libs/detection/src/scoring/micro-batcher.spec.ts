import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher';

function manualTimers() {
  const timers: Array<() => void> = [];
  return {
    setTimer: (fn: () => void) => timers.push(fn),
    clearTimer: () => void timers.splice(0),
    fire: () => timers.splice(0).forEach((f) => f()),
    get pending() {
      return timers.length;
    },
  };
}

describe('MicroBatcher', () => {
  it('merges callers into one run and returns each caller its own results in order', async () => {
    const runs: number[][] = [];
    const t = manualTimers();
    const b = new MicroBatcher<number, number>((xs) => (runs.push(xs), xs.map((x) => x * 10)), { maxBatch: 10, deadlineMs: 5, ...t });
    const p1 = b.submit([1, 2]);
    const p2 = b.submit([3]);
    expect(runs).toEqual([]); // waiting for the deadline
    t.fire();
    expect(await p1).toEqual([10, 20]);
    expect(await p2).toEqual([30]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('runs as soon as maxBatch items are queued, in chunks of maxBatch', async () => {
    const runs: number[][] = [];
    const t = manualTimers();
    const b = new MicroBatcher<number, number>((xs) => (runs.push(xs), xs), { maxBatch: 3, deadlineMs: 1000, ...t });
    const p1 = b.submit([1, 2]);
    const p2 = b.submit([3, 4, 5, 6, 7]);
    expect(await p1).toEqual([1, 2]);
    expect(await p2).toEqual([3, 4, 5, 6, 7]);
    expect(runs).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(t.pending).toBe(0);
  });

  it('rejects every caller of a failed run', async () => {
    const t = manualTimers();
    const b = new MicroBatcher<number, number>(
      () => {
        throw new Error('model failed');
      },
      { maxBatch: 2, deadlineMs: 5, ...t },
    );
    await expect(Promise.all([b.submit([1]), b.submit([2])])).rejects.toThrow('model failed');
  });
});

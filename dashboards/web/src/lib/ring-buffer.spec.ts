import { describe, expect, it } from 'vitest';
import { FrameBatcher } from './frame-batcher';
import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first, up to its capacity', () => {
    const ring = new RingBuffer<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.last()).toBeUndefined();
    for (const x of [1, 2, 3, 4, 5]) ring.push(x);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
    expect(ring.last()).toBe(5);
    ring.clear();
    expect(ring.size).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(1.5)).toThrow(/positive integer/);
  });
});

describe('FrameBatcher', () => {
  it('delivers everything added before a frame in one batch, and schedules one frame per batch', () => {
    const frames: Array<() => void> = [];
    const batches: number[][] = [];
    const batcher = new FrameBatcher<number>(
      (b) => batches.push(b),
      (cb) => frames.push(cb),
    );
    batcher.add(1);
    batcher.add(2);
    batcher.add(3);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    batcher.add(4);
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });
});

import { describe, expect, it } from 'vitest';
import { frameSignal, stackFrames } from './framing';

describe('frameSignal', () => {
  it.each([
    [
      [1, 2, 3, 4, 5, 6, 7],
      3,
      2,
      [
        [1, 2, 3],
        [3, 4, 5],
        [5, 6, 7],
      ],
    ],
    [
      [1, 2, 3, 4, 5, 6, 7],
      3,
      3,
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    ],
    [[1, 2], 3, 1, []],
  ])('%j, length %i, hop %i', (x, length, hop, expected) => {
    const out = frameSignal(x, length, hop);
    expect(out.batch).toBe(expected.length);
    expect([out.steps, out.channels]).toEqual([length, 1]);
    expect(Array.from(out.data)).toEqual(expected.flat());
  });
});

describe('stackFrames', () => {
  it('stacks consecutive rows of a [rows][channels] matrix', () => {
    const matrix = [1, 10, 2, 20, 3, 30, 4, 40];
    const out = stackFrames(matrix, 4, 2, 2, 2);
    expect(out).toMatchObject({ batch: 2, steps: 2, channels: 2 });
    expect(Array.from(out.data)).toEqual([1, 10, 2, 20, 3, 30, 4, 40]);
    expect(Array.from(stackFrames(matrix, 4, 2, 3, 1).data)).toEqual([1, 10, 2, 20, 3, 30, 2, 20, 3, 30, 4, 40]);
  });

  it('rejects a mismatched matrix and bad lengths', () => {
    expect(() => stackFrames([1, 2, 3], 2, 2, 1)).toThrow(/expected 2×2/);
    expect(() => frameSignal([1, 2], 0)).toThrow(/positive integer/);
    expect(() => frameSignal([1, 2], 1, 0)).toThrow(/hop/);
  });
});

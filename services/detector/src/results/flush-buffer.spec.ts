import { describe, expect, it } from 'vitest';
import { FlushBuffer } from './flush-buffer';

describe('FlushBuffer', () => {
  it('writes items of several callers in one flush and resolves them after it', async () => {
    const writes: number[][] = [];
    const b = new FlushBuffer<number>(async (xs) => void writes.push(xs), { intervalMs: 10, maxItems: 100 });
    await Promise.all([b.add([1, 2]), b.add([3])]);
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('flushes early at maxItems', async () => {
    const writes: number[][] = [];
    const b = new FlushBuffer<number>(async (xs) => void writes.push(xs), { intervalMs: 60_000, maxItems: 3 });
    await b.add([1, 2, 3, 4]);
    expect(writes).toEqual([[1, 2, 3, 4]]);
  });

  it('rejects the callers whose items failed to write, and keeps working', async () => {
    let fail = true;
    const b = new FlushBuffer<number>(
      async () => {
        if (fail) throw new Error('clickhouse down');
      },
      { intervalMs: 5, maxItems: 100 },
    );
    await expect(b.add([1])).rejects.toThrow('clickhouse down');
    fail = false;
    await expect(b.add([2])).resolves.toBeUndefined();
  });
});

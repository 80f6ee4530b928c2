import { describe, expect, it } from 'vitest';
import { SlidingWindowStorage } from './rate-limit.storage';

describe('SlidingWindowStorage', () => {
  it('allows `limit` hits per window, then blocks for blockDuration', async () => {
    let now = 60_000;
    const store = new SlidingWindowStorage(() => now);
    const hit = async () => (await store.increment('k', 60_000, 3, 10_000, 'default')).isBlocked;
    expect([await hit(), await hit(), await hit(), await hit(), await hit()]).toEqual([false, false, false, true, true]);
    now += 9_999;
    expect(await hit()).toBe(true);
    // Block over, but the window still holds 3 hits.
    now += 2;
    expect(await hit()).toBe(true);
  });

  it('weighs the previous window by its overlap with the sliding window', async () => {
    let now = 0;
    const store = new SlidingWindowStorage(() => now);
    for (let i = 0; i < 10; i++) expect((await store.increment('k', 1000, 10, 1, 'default')).isBlocked).toBe(false);
    now = 1750; // 25 % of the previous window still overlaps: ~2.5 of its 10 hits count
    const allowed: boolean[] = [];
    for (let i = 0; i < 10; i++) allowed.push(!(await store.increment('k', 1000, 10, 1, 'default')).isBlocked);
    expect(allowed.filter(Boolean)).toHaveLength(8);
    now = 3100; // two windows later: nothing counts
    expect((await store.increment('k', 1000, 10, 1, 'default')).totalHits).toBe(1);
  });

  it('keeps keys and throttlers apart, reports the window reset, and forgets idle keys', async () => {
    let now = 0;
    const store = new SlidingWindowStorage(() => now);
    expect(await store.increment('a', 1000, 1, 1000, 'default')).toEqual({ totalHits: 1, timeToExpire: 1, isBlocked: false, timeToBlockExpire: 0 });
    expect((await store.increment('b', 1000, 1, 1000, 'default')).isBlocked).toBe(false);
    expect((await store.increment('a', 1000, 1, 1000, 'other')).isBlocked).toBe(false);
    expect((await store.increment('a', 1000, 1, 1000, 'default')).isBlocked).toBe(true);
    now = 5000;
    for (let i = 0; i < 10_000; i++) await store.increment('c', 1000, 1e9, 1, 'default');
    expect(store.size).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('grants a second’s worth at once, then refills at the rate, never beyond a second’s worth', () => {
    let now = 0;
    const bucket = new TokenBucket(20, () => now);
    expect(bucket.take(16)).toBe(16);
    expect(bucket.take(16)).toBe(4);
    expect(bucket.take(1)).toBe(0);
    now += 250; // 5 tokens
    expect(bucket.take(16)).toBe(5);
    now += 60_000;
    expect(bucket.take(100)).toBe(20);
  });

  it('grants nothing at a rate of zero', () => {
    expect(new TokenBucket(0, () => 0).take(3)).toBe(0);
  });
});

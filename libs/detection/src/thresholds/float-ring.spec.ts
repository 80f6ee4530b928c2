import { describe, expect, it } from 'vitest';
import { FloatRing } from './float-ring';

describe('FloatRing', () => {
  it('keeps the latest values up to its capacity, overwriting the oldest', () => {
    const ring = new FloatRing(3);
    for (const v of [1, 2, 3, 4]) ring.push(v);
    expect(ring.size).toBe(3);
    expect(Array.from(ring.values)).toEqual([4, 2, 3]);
    expect(ring.oldest).toBe(2);
    expect(ring.sum()).toBe(9);
  });

  it('round-trips exactly through JSON, cursor included', () => {
    const ring = new FloatRing(5);
    for (const v of [0.1, 1 / 3, Math.PI, -1e-300, 7]) ring.push(v);
    ring.push(Number.MAX_VALUE);
    const copy = FloatRing.fromJSON(JSON.parse(JSON.stringify(ring.toJSON())));
    expect(Array.from(copy.values)).toEqual(Array.from(ring.values));
    copy.push(42);
    ring.push(42);
    expect(Array.from(copy.values)).toEqual(Array.from(ring.values));
  });

  it('stores a partly filled ring compactly and rejects inconsistent states', () => {
    const ring = new FloatRing(100);
    ring.push(1.5);
    const state = ring.toJSON();
    expect(state).toMatchObject({ capacity: 100, size: 1, cursor: 1 });
    expect(state.data).toHaveLength(12);
    expect(() => FloatRing.fromJSON({ ...state, size: 2 })).toThrow(RangeError);
    expect(() => FloatRing.fromJSON({ ...state, cursor: 100 })).toThrow(RangeError);
    expect(() => new FloatRing(0)).toThrow(RangeError);
  });
});

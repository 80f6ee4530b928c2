import { describe, expect, it } from 'vitest';
import { seamlessLoop } from './mimii-replay.source';

/** A 440 Hz tone at 16 kHz whose length is no whole number of periods: looped as is, it jumps at the join. */
const tone = (n: number, phase = 0) => Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 16000 + phase));
const maxStep = (x: Float32Array, from = 0, to = x.length) => {
  let m = 0;
  for (let i = from + 1; i < to; i++) m = Math.max(m, Math.abs(x[i]! - x[i - 1]!));
  return m;
};

describe('seamlessLoop', () => {
  it('plays each clip unchanged between its seams and loses one seam of samples per join', () => {
    const a = tone(10_000);
    const b = tone(7_000, 1);
    const loop = seamlessLoop([a, b], 160);
    expect(loop.length).toBe(10_000 - 160 + 7_000 - 160);
    for (const i of [160, 5_000, 9_839]) expect(loop[i]).toBe(a[i]);
    for (const i of [160, 3_000, 6_839]) expect(loop[9_840 + i]).toBe(b[i]);
  });

  it('has no click at the joins, circularly, where a hard splice jumps', () => {
    const clip = tone(10_013); // 275.36 periods: the join lands mid-period
    const hard = Float32Array.from([...clip, ...clip]);
    const own = maxStep(clip);
    expect(maxStep(hard, 10_013 - 2, 10_013 + 2)).toBeGreaterThan(5 * own);
    const loop = seamlessLoop([clip], 160);
    const twice = Float32Array.from([...loop, ...loop]);
    expect(maxStep(twice)).toBeLessThan(1.5 * own);
  });
});

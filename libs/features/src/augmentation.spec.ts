import { describe, expect, it } from 'vitest';
import { jitter, magnitudeWarp, scaling, smoothRandomCurve, timeWarp, type Window } from './augmentation';
import { seededRandom } from './random';

const steps = 400;
const channels = 3;
/** Channel c is a ramp c + t/steps: monotonic, distinct per channel. */
const ramp: Window = { data: Float32Array.from({ length: steps * channels }, (_, i) => (i % channels) + Math.floor(i / channels) / steps), steps, channels };
const channel = (w: Window, c: number) => Array.from({ length: w.steps }, (_, t) => w.data[t * w.channels + c]!);
const std = (xs: number[]) => {
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / xs.length);
};

const augmentations = [
  ['jitter', (w: Window, seed: number) => jitter(w, seededRandom(seed))],
  ['scaling', (w: Window, seed: number) => scaling(w, seededRandom(seed))],
  ['magnitudeWarp', (w: Window, seed: number) => magnitudeWarp(w, seededRandom(seed))],
  ['timeWarp', (w: Window, seed: number) => timeWarp(w, seededRandom(seed))],
] as const;

describe.each(augmentations)('%s', (_name, augment) => {
  it('is deterministic per seed, differs across seeds, keeps the shape and leaves the input alone', () => {
    const before = ramp.data.slice();
    const a = augment(ramp, 1);
    expect(augment(ramp, 1).data).toEqual(a.data);
    expect(augment(ramp, 2).data).not.toEqual(a.data);
    expect([a.steps, a.channels, a.data.length]).toEqual([steps, channels, steps * channels]);
    expect(ramp.data).toEqual(before);
  });

  it('rejects a window whose data does not match its shape', () => {
    expect(() => augment({ data: new Float32Array(5), steps: 2, channels: 2 }, 1)).toThrow(/expected 2×2/);
  });
});

describe('what each augmentation does', () => {
  it('jitter adds zero-mean noise of the requested std', () => {
    const out = jitter(ramp, seededRandom(3), { sigma: 0.05 });
    const noise = Array.from(out.data, (v, i) => v - ramp.data[i]!);
    expect(std(noise)).toBeCloseTo(0.05, 2);
    expect(Math.abs(noise.reduce((s, v) => s + v, 0) / noise.length)).toBeLessThan(0.01);
  });

  it('scaling multiplies each channel by one factor', () => {
    const out = scaling(ramp, seededRandom(4), { sigma: 0.1 });
    for (let c = 1; c < channels; c++) {
      const ratios = channel(out, c).map((v, t) => v / channel(ramp, c)[t]!);
      expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(1e-6);
    }
  });

  it('magnitudeWarp multiplies by a smooth curve around 1', () => {
    const ones: Window = { data: new Float32Array(steps).fill(1), steps, channels: 1 };
    const curve = channel(magnitudeWarp(ones, seededRandom(5), { sigma: 0.2, knots: 4 }), 0);
    const secondDifferences = curve.slice(2).map((v, t) => Math.abs(v - 2 * curve[t + 1]! + curve[t]!));
    expect(Math.max(...secondDifferences)).toBeLessThan(1e-3); // smooth, not noise
    expect(std(curve)).toBeGreaterThan(0.01); // but not flat
    const mean = smoothRandomCurve(200, seededRandom(9), 0.2, 4).reduce((s, v) => s + v, 0) / 200;
    expect(mean).toBeGreaterThan(0.6);
    expect(mean).toBeLessThan(1.4);
  });

  it('timeWarp keeps end points and order, and moves the middle', () => {
    const out = timeWarp(ramp, seededRandom(6), { sigma: 0.3, knots: 4 });
    for (let c = 0; c < channels; c++) {
      const warped = channel(out, c);
      const original = channel(ramp, c);
      expect(warped[0]).toBeCloseTo(original[0]!, 6);
      expect(warped[steps - 1]).toBeCloseTo(original[steps - 1]!, 5);
      expect(warped.every((v, t) => t === 0 || v >= warped[t - 1]!)).toBe(true);
      expect(Math.max(...warped.map((v, t) => Math.abs(v - original[t]!)))).toBeGreaterThan(0.005);
    }
  });
});

describe('seededRandom', () => {
  it('gives uniform [0, 1) and standard normal draws', () => {
    const random = seededRandom(11);
    const uniforms = Array.from({ length: 20000 }, () => random.uniform());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((s, v) => s + v, 0) / uniforms.length).toBeCloseTo(0.5, 1);
    const normals = Array.from({ length: 20000 }, () => random.normal(2, 3));
    expect(normals.reduce((s, v) => s + v, 0) / normals.length).toBeCloseTo(2, 1);
    expect(std(normals)).toBeCloseTo(3, 1);
  });
});

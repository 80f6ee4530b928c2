import { seededRandom } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { LatentWindowMonitor, type LatentObservation } from './latent-window-monitor';

const DIM = 8;

function stream(seed: number, count: number, shift = 0, flaggedEvery = 0): LatentObservation[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    mean: Array.from({ length: DIM }, () => random.normal(shift, 1)),
    score: Math.abs(random.normal(1 + shift, 0.3)),
    windowStartMs: 1_000 * i,
    windowEndMs: 1_000 * i + 3_000,
    flagged: flaggedEvery > 0 && i % flaggedEvery === 0,
  }));
}

const options = { modelVersion: 'v1', dim: DIM, referenceSize: 100, windowSize: 50, latent: { seed: 1, permutations: 99 } };

describe('LatentWindowMonitor', () => {
  it('builds the reference from unflagged vectors only, then evaluates every hop', () => {
    const monitor = new LatentWindowMonitor({ ...options, hop: 25 });
    const reports = stream(1, 110, 0, 10).map((o) => monitor.push(o));
    // 110 vectors with every 10th flagged: 99 unflagged, one short of the reference.
    expect(monitor.referenceWindow()).toBeNull();
    expect(reports.every((r) => r === null)).toBe(true);
    const after = stream(2, 100)
      .map((o) => monitor.push(o))
      .filter((r) => r !== null);
    expect(monitor.referenceWindow()!.count).toBe(100);
    // The first vector completes the reference; 99 left: windows close after 50 and 75.
    expect(after.map((r) => r.windowIndex)).toEqual([0, 1]);
    expect(after[1]!.current).toMatchObject({ count: 50, startMs: 26_000, endMs: 78_000 });
  });

  it('reports drift on shifted latents and mostly none on the same distribution', () => {
    const monitor = new LatentWindowMonitor(options);
    stream(3, 100).forEach((o) => monitor.push(o));
    const same = stream(4, 500)
      .map((o) => monitor.push(o))
      .filter((r) => r !== null);
    const shifted = stream(5, 500, 0.6)
      .map((o) => monitor.push(o))
      .filter((r) => r !== null);
    expect(same).toHaveLength(10);
    expect(same.filter((r) => r.drifted).length).toBeLessThanOrEqual(2);
    expect(shifted.every((r) => r.latent.mmdDrifted && r.drifted)).toBe(true);
    expect(shifted[0]!.scores.psi).toBeGreaterThan(same[0]!.scores.psi);
  });

  it('starts from a stored reference and counts flagged vectors in the window', () => {
    const first = new LatentWindowMonitor(options);
    stream(6, 100).forEach((o) => first.push(o));
    const restarted = new LatentWindowMonitor({ ...options, reference: first.referenceWindow()! });
    const reports = stream(7, 50, 0, 5)
      .map((o) => restarted.push(o))
      .filter((r) => r !== null);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.current.flagged).toBe(10);
    expect(reports[0]!.reference).toEqual({ startMs: 0, endMs: 102_000, count: 100 });
  });

  it('rejects latents of the wrong dimension and a stored reference of another dimension', () => {
    const monitor = new LatentWindowMonitor(options);
    expect(() => monitor.push({ mean: [1, 2], score: 0, windowStartMs: 0, windowEndMs: 1 })).toThrow(/expected 8/);
    const reference = { modelVersion: 'v1', dim: 4, count: 0, means: [], scores: [], startMs: 0, endMs: 0 };
    expect(() => new LatentWindowMonitor({ ...options, reference })).toThrow(/dim 4/);
  });
});

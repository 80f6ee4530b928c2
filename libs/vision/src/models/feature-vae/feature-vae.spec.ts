import { describe, expect, it } from 'vitest';
import { seededRandom } from '@vigil/features';
import { tf } from '@vigil/ml';
import { buildFeatureVae, disposeFeatureVae, featureVaeScores, positionCode, trainFeatureVae } from './feature-vae';

const GRID: [number, number] = [4, 4];
const D = 6;

/** Normal residuals: a position-dependent pattern in the first two dims (what a per-position Gaussian would also hold) plus noise. */
function patches(count: number, seed: number): { x: Float32Array; positions: Int32Array } {
  const random = seededRandom(seed);
  const positions = Int32Array.from({ length: count }, (_, i) => i % 16);
  const x = new Float32Array(count * D);
  positions.forEach((p, i) => {
    const t = random.normal(0, 1);
    for (let k = 0; k < D; k++) x[i * D + k] = (k < 2 ? t * (p % 4 === 0 ? 1 : -1) : 0) + random.normal(0, 0.1);
  });
  return { x, positions };
}

describe('feature VAE', () => {
  it('codes positions with sin/cos octaves', () => {
    const code = positionCode(Int32Array.from([0, 5]), GRID, 2);
    expect(code).toHaveLength(16);
    expect(code[0]).toBeCloseTo(Math.sin(Math.PI * 0.125), 6);
    expect(code[8 + 2]).toBeCloseTo(Math.sin(Math.PI * 0.375), 6);
  });

  it('scores off-pattern patches above normal ones, deterministically per seed, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const { x, positions } = patches(2048, 1);
    const run = () => {
      const vae = buildFeatureVae({ inputDims: D, hidden: 32, latent: 4, seed: 3, positionFrequencies: 2 });
      const losses = trainFeatureVae(vae, x, positions, GRID, { epochs: 6, beta: 0.1, seed: 3, batchSize: 128 });
      const normal = patches(64, 2);
      const odd = patches(64, 3);
      for (let i = 0; i < 64; i++) odd.x[i * D + 4] = odd.x[i * D + 4]! + 2; // a direction never seen in training
      const scores = { normal: featureVaeScores(vae, normal.x, normal.positions, GRID, 0.1), odd: featureVaeScores(vae, odd.x, odd.positions, GRID, 0.1) };
      disposeFeatureVae(vae);
      return { losses, scores };
    };
    const a = run();
    expect(a.losses.at(-1)!).toBeLessThan(a.losses[0]!);
    const mean = (v: Float32Array) => v.reduce((s, y) => s + y, 0) / v.length;
    expect(mean(a.scores.odd)).toBeGreaterThan(2 * mean(a.scores.normal));
    const b = run();
    expect(Array.from(b.scores.normal)).toEqual(Array.from(a.scores.normal));
    expect(tf.memory().numTensors).toBe(before);
  });
});

import { describe, expect, it } from 'vitest';
import { seededRandom } from '@vigil/features';
import { OnnxInferenceSession } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../../backbone/efficientnet-lite.constants';
import { buildFeatureVae, disposeFeatureVae, featureVaeScores, featureVaeWeights } from '../feature-vae/feature-vae';
import { whiteningMatrix } from '@vigil/features';
import { blockOf, poolCovariances } from './covariance-pooling';
import { PositionGaussianFit, whitenGaussian } from './gaussian-fit';
import { buildGaussianHead, HEAD_INPUT, HEAD_OUTPUT, HEAD_RESIDUAL, HEAD_VAE } from './gaussian-head.onnx-graph';

const [H, W, D, N] = [4, 6, 3, 30];

/** samples[q][i] = d-vector of image i at cell q, with a per-cell mean and a per-cell scale. */
function samples(seed: number): number[][][] {
  const random = seededRandom(seed);
  return Array.from({ length: H * W }, (_, q) => Array.from({ length: N }, () => Array.from({ length: D }, (_, j) => q * 0.3 + j + random.normal(0, 1 + (q % 3) * 0.2 + j * 0.1))));
}

function covariance(rows: number[][], d: number): number[] {
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / rows.length);
  return Array.from({ length: d * d }, (_, k) => rows.reduce((a, r) => a + (r[Math.floor(k / d)]! - mean[Math.floor(k / d)]!) * (r[k % d]! - mean[k % d]!), 0) / (rows.length - 1));
}

describe('poolCovariances', () => {
  it.each([
    [1, 0],
    [2, 0],
    [2, 1],
    [1, 1],
  ])('share %i, radius %i: equals the covariance of the per-cell-centred samples of each neighbourhood', (share, radius) => {
    const x = samples(1);
    const covs = x.flatMap((rows) => covariance(rows, D));
    const pooled = poolCovariances(covs, H, W, D, { share, radius });
    for (let by = 0; by < H / share; by++)
      for (let bx = 0; bx < W / share; bx++) {
        // Direct: every neighbourhood cell's samples minus that cell's own mean, one scatter over all of them.
        const scatter = new Array<number>(D * D).fill(0);
        let dof = 0;
        for (let y = Math.max(0, by * share - radius); y < Math.min(H, (by + 1) * share + radius); y++)
          for (let xx = Math.max(0, bx * share - radius); xx < Math.min(W, (bx + 1) * share + radius); xx++) {
            const rows = x[y * W + xx]!;
            const mean = Array.from({ length: D }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / N);
            for (const r of rows) for (let k = 0; k < D * D; k++) scatter[k]! += (r[Math.floor(k / D)]! - mean[Math.floor(k / D)]!) * (r[k % D]! - mean[k % D]!);
            dof += N - 1;
          }
        const block = (by * W) / share + bx;
        for (let k = 0; k < D * D; k++) expect(pooled[block * D * D + k]!).toBeCloseTo(scatter[k]! / dof, 10);
      }
  });

  it('numbers blocks row-major and cells inside a block row-major', () => {
    expect(blockOf(0, 0, 6, 2)).toEqual({ block: 0, sub: 0 });
    expect(blockOf(1, 3, 6, 2)).toEqual({ block: 1, sub: 3 });
    expect(blockOf(3, 4, 6, 2)).toEqual({ block: 5, sub: 2 });
    expect(() => poolCovariances(new Float64Array(5 * 5 * 4), 5, 5, 2, { share: 2, radius: 0 })).toThrow(/does not split/);
  });
});

describe('Gaussian head with shared covariances and the feature VAE folded in', () => {
  const [h, w, n] = [4, 6, 3];
  const features = (count: number, seed: number) => {
    const random = seededRandom(seed);
    return Float32Array.from({ length: count * FEATURE_CHANNELS * h * w }, (_, i) => (i % (h * w)) * 0.05 + random.normal(0, 1));
  };

  it('gives ‖W_b(x·P − μ_p)‖ per cell and the same residuals and VAE map as a direct computation', async () => {
    const fit = new PositionGaussianFit(h, w);
    for (let b = 0; b < 3; b++) fit.add(features(40, 30 + b), 40);
    const stats = fit.statistics(10);
    const gaussian = whitenGaussian(stats, 0.01, { share: 2, radius: 1 });
    expect(gaussian.whitening.length).toBe(((h * w) / 4) * 100);
    const vae = buildFeatureVae({ inputDims: 10, hidden: 8, latent: 3, seed: 5 });
    const head = await OnnxInferenceSession.create(buildGaussianHead(gaussian, h, w, { residual: true, vae: featureVaeWeights(vae, [h, w], 0.1) }));
    const x = features(n, 99);
    const out = await head.run({ [HEAD_INPUT]: { data: x, shape: [n, FEATURE_CHANNELS, h, w] } });
    const distance = out[HEAD_OUTPUT]!.data as Float32Array;
    const residual = out[HEAD_RESIDUAL]!.data as Float32Array;
    const pooled = poolCovariances(stats.covariance, h, w, 10, { share: 2, radius: 1 });
    const direct = new Float32Array(n * h * w * 10);
    for (let k = 0; k < n; k++)
      for (let y = 0; y < h; y++)
        for (let xx = 0; xx < w; xx++) {
          const p = y * w + xx;
          const { block } = blockOf(y, xx, w, 2);
          const wb = whiteningMatrix(pooled.subarray(block * 100, (block + 1) * 100), 10, 0.01);
          const centred = Array.from({ length: 10 }, (_, j) => {
            let v = 0;
            for (let c = 0; c < FEATURE_CHANNELS; c++) v += x[(k * FEATURE_CHANNELS + c) * h * w + p]! * stats.projection[c * 10 + j]!;
            return v - stats.mean[p * 10 + j]!;
          });
          let d2 = 0;
          for (let i = 0; i < 10; i++) {
            let u = 0;
            for (let j = 0; j < 10; j++) u += wb[i * 10 + j]! * centred[j]!;
            direct[(k * h * w + p) * 10 + i] = u;
            d2 += u * u;
          }
          expect(distance[k * h * w + p]!).toBeCloseTo(Math.sqrt(d2), 3);
        }
    for (let i = 0; i < direct.length; i++) expect(residual[i]!).toBeCloseTo(direct[i]!, 3);
    const expected = featureVaeScores(vae, residual, Int32Array.from({ length: n * h * w }, (_, i) => i % (h * w)), [h, w], 0.1);
    const vaeMap = out[HEAD_VAE]!.data as Float32Array;
    for (let i = 0; i < expected.length; i++) expect(vaeMap[i]!).toBeCloseTo(Math.sqrt(Math.max(expected[i]!, 0)), 4);
    await head.dispose();
    disposeFeatureVae(vae);
  });
});

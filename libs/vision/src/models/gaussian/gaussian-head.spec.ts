import { describe, expect, it } from 'vitest';
import { seededRandom } from '@vigil/features';
import { OnnxInferenceSession, tf } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../../backbone/efficientnet-lite.constants';
import { mapMax, smoothMap } from '../../maps/anomaly-map';
import { isIdentityProjection, PositionGaussianFit } from './gaussian-fit';
import { buildGaussianHead, HEAD_INPUT, HEAD_OUTPUT } from './gaussian-head.onnx-graph';

const [H, W] = [6, 5];

/** Feature grids [n, 376, H, W]: every channel noise around a per-position level. */
function grids(n: number, seed: number, hotSpot?: [number, number]): Float32Array {
  const random = seededRandom(seed);
  const out = new Float32Array(n * FEATURE_CHANNELS * H * W);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < FEATURE_CHANNELS; c++) {
      for (let p = 0; p < H * W; p++) {
        const hot = hotSpot && p === hotSpot[0] * W + hotSpot[1] ? 5 : 0;
        out[((k * FEATURE_CHANNELS + c) * H * W) + p] = (p % 7) * 0.1 + random.normal(0, 1) + hot;
      }
    }
  }
  return out;
}

describe('per-position Gaussian', () => {
  it('fits without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const fit = new PositionGaussianFit(H, W);
    fit.add(grids(20, 1), 20);
    fit.add(grids(20, 2), 20);
    const gaussian = fit.finish(12, 0.01);
    expect(gaussian.count).toBe(40);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('puts the map peak over a synthetic hot spot and keeps normal grids low', async () => {
    const fit = new PositionGaussianFit(H, W);
    for (let b = 0; b < 5; b++) fit.add(grids(40, 10 + b), 40);
    const head = await OnnxInferenceSession.create(buildGaussianHead(fit.finish(12, 0.01), H, W));
    const run = async (data: Float32Array) => (await head.run({ [HEAD_INPUT]: { data, shape: [1, FEATURE_CHANNELS, H, W] } }))[HEAD_OUTPUT]!.data as Float32Array;
    const hot = await run(grids(1, 99, [4, 1]));
    const normal = await run(grids(1, 98));
    expect(hot.indexOf(mapMax(hot))).toBe(4 * W + 1);
    expect(mapMax(smoothMap(hot, H, W, 0.5))).toBeGreaterThan(2 * mapMax(smoothMap(normal, H, W, 0.5)));
    await head.dispose();
  });

  it('reduces to orthonormal principal axes and refits identically (deterministic per seed)', () => {
    const fitOnce = () => {
      const fit = new PositionGaussianFit(H, W);
      for (let b = 0; b < 3; b++) fit.add(grids(30, 20 + b), 30);
      return fit.finish(12, 0.01);
    };
    const a = fitOnce();
    const b = fitOnce();
    expect(a.dims).toBe(12);
    expect(buildGaussianHead(a, H, W)).toEqual(buildGaussianHead(b, H, W));
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) {
        let dot = 0;
        for (let c = 0; c < FEATURE_CHANNELS; c++) dot += a.projection[c * 12 + i]! * a.projection[c * 12 + j]!;
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 4);
      }
    }
  });

  it('keeps all 376 channels as they are (identity, no projection in the head) and scores ‖W(x − μ)‖ per position', async () => {
    const fit = new PositionGaussianFit(H, W);
    for (let b = 0; b < 2; b++) fit.add(grids(30, 30 + b), 30);
    const gaussian = fit.finish(FEATURE_CHANNELS, 0.01);
    expect(gaussian.dims).toBe(FEATURE_CHANNELS);
    expect(isIdentityProjection(gaussian)).toBe(true);
    const bytes = buildGaussianHead(gaussian, H, W);
    // The projection would be a 376 × 376 float initializer (566 kB); the head is the means and whitening only.
    expect(bytes.length).toBeLessThan(4 * (gaussian.mean.length + gaussian.whitening.length) + 100_000);
    const x = grids(1, 97, [2, 3]);
    const head = await OnnxInferenceSession.create(bytes);
    const map = (await head.run({ [HEAD_INPUT]: { data: x, shape: [1, FEATURE_CHANNELS, H, W] } }))[HEAD_OUTPUT]!.data as Float32Array;
    await head.dispose();
    const d = FEATURE_CHANNELS;
    for (const p of [0, 2 * W + 3, H * W - 1]) {
      let squared = 0;
      for (let i = 0; i < d; i++) {
        let u = 0;
        for (let j = 0; j <= i; j++) u += gaussian.whitening[(p * d + i) * d + j]! * (x[j * H * W + p]! - gaussian.mean[p * d + j]!);
        squared += u * u;
      }
      expect(map[p]).toBeCloseTo(Math.sqrt(squared), 2);
    }
  });
});

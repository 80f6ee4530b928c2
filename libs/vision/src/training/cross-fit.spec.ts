import { describe, expect, it } from 'vitest';
import { seededRandom } from '@vigil/features';
import { OnnxInferenceSession, tf } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../backbone/efficientnet-lite.constants';
import { mapMax } from '../maps/anomaly-map';
import { fitPositionStatistics, whitenGaussian } from '../models/gaussian/gaussian-fit';
import { buildGaussianHead, HEAD_OUTPUT } from '../models/gaussian/gaussian-head.onnx-graph';
import { GAUSSIAN_DEFAULTS, headMaps } from '../models/gaussian/gaussian-model';
import { type CrossFitFeatures, crossFitFeatureVaes, crossFitGaussians } from './cross-fit';
import { assignFolds } from './cross-fit-folds';

// A 32 px input → a 4×4 grid; 20 "images" whose 376 channels mix 6 latent factors per position (plus a little
// noise), so the 6 principal axes are real structure, not noise.
const [H, W] = [4, 4];
const IMAGES = 20;
const FACTORS = 6;
const settings = { ...GAUSSIAN_DEFAULTS, sizes: [32], dims: FACTORS, share: 1, sigma: 0 };
const loadings = (() => {
  const random = seededRandom(1);
  return Float32Array.from({ length: FEATURE_CHANNELS * FACTORS }, () => random.normal(0, 1));
})();

function grid(random: ReturnType<typeof seededRandom>): Float32Array {
  const out = new Float32Array(FEATURE_CHANNELS * H * W);
  for (let p = 0; p < H * W; p++) {
    const z = Array.from({ length: FACTORS }, () => random.normal(0, 1));
    for (let c = 0; c < FEATURE_CHANNELS; c++) {
      let v = (p % 5) * 0.2 + random.normal(0, 0.1);
      for (let f = 0; f < FACTORS; f++) v += loadings[c * FACTORS + f]! * z[f]!;
      out[c * H * W + p] = v;
    }
  }
  return out;
}

/** Two fit rows per image (the image and a second "flip" variant), the image itself scored out of fold, and a defect copy. */
function syntheticFeatures(): CrossFitFeatures {
  const random = seededRandom(3);
  const images = Array.from({ length: IMAGES }, () => grid(random));
  const variants = images.map(() => grid(random));
  const defect = images.map((image) => image.map((v, k) => v + (k % (H * W) === 5 ? 8 * loadings[Math.floor(k / (H * W)) * FACTORS]! : 0)));
  const samples = images.map((_, i) => ({ imagePath: `/good/${String(i).padStart(3, '0')}.png` }));
  return {
    settings,
    fitRows: [images.flatMap((image, i) => [image, variants[i]!])],
    rowImage: images.flatMap((_, i) => [i, i]),
    clean: [images],
    defect: [defect],
    // Three folds keep the spec to 6 fits (each eigendecomposes a 376 × 376 covariance); the logic is K-agnostic.
    folds: assignFolds(samples, 3),
  };
}

async function distanceMaps(rows: Float32Array[], scored: Float32Array[], radius = 0): Promise<Float32Array[]> {
  const gaussian = whitenGaussian(fitPositionStatistics(rows, H, W, settings.dims), settings.ridge, { share: 1, radius });
  const session = await OnnxInferenceSession.create(buildGaussianHead(gaussian, H, W));
  const [maps] = await headMaps(session, scored, [H, W], [HEAD_OUTPUT]);
  await session.dispose();
  return maps!;
}

describe('crossFitGaussians', () => {
  it('maps every image with the model of the other folds (its flip variants held out with it), never with its own', async () => {
    const tensors = tf.memory().numTensors;
    const features = syntheticFeatures();
    const { distance, gaussians } = await crossFitGaussians(features, [0, 1], { keep: true });
    expect(gaussians).toHaveLength(3);
    expect(gaussians[0]![0]!).toHaveLength(2);
    const outOfFold = distance[0]!.clean[0]!;
    expect(outOfFold.every((map) => map instanceof Float32Array && map.length === H * W)).toBe(true);

    const inSample = await distanceMaps(features.fitRows[0]!, features.clean[0]!);
    // One image of each fold, checked against a model fitted directly on the other folds' rows.
    for (const i of [0, 1, 2].map((k) => features.folds.indexOf(k))) {
      const fold = features.folds[i]!;
      const otherRows = features.fitRows[0]!.filter((_, r) => features.folds[features.rowImage[r]!] !== fold);
      expect(otherRows).toHaveLength(2 * features.folds.filter((f) => f !== fold).length);
      const [expected] = await distanceMaps(otherRows, [features.clean[0]![i]!]);
      expect(Math.max(...outOfFold[i]!.map((v, c) => Math.abs(v - expected![c]!)))).toBeLessThan(1e-4);
      // The calibration score (out of fold) is not the served model's in-sample score of the same image.
      expect(Math.abs(mapMax(outOfFold[i]!) - mapMax(inSample[i]!))).toBeGreaterThan(1e-3);
    }
    // A Gaussian flatters the images it was fitted on: out-of-fold distances run higher.
    const mean = (maps: Float32Array[]) => maps.reduce((a, m) => a + mapMax(m), 0) / maps.length;
    expect(mean(outOfFold)).toBeGreaterThan(mean(inSample));
    // The pasted defect stands out at its cell, out of fold too; the second pool radius maps the same images.
    const defect = distance[0]!.defect[0]!;
    expect(defect.filter((map, i) => map[5]! > outOfFold[i]![5]!)).toHaveLength(IMAGES);
    expect(distance[1]!.clean[0]!.every((map, i) => map.some((v, c) => v !== outOfFold[i]![c]))).toBe(true);
    expect(tf.memory().numTensors).toBe(tensors);
  }, 180_000);

  it('cross-fits the feature VAE on each fold Gaussian, mapping every image once', async () => {
    const features = syntheticFeatures();
    const { gaussians } = await crossFitGaussians(features, [0], { keep: true });
    const maps = await crossFitFeatureVaes(
      features,
      gaussians.map((perScale) => perScale.map((variants) => variants[0]!)),
      { hidden: 8, latent: 2, beta: 0.1, epochs: 1, patchesPerEpoch: 256, seed: 7 },
    );
    for (const part of [maps.clean[0]!, maps.defect[0]!]) {
      expect(part).toHaveLength(IMAGES);
      expect(part.every((map) => map.length === H * W && map.every(Number.isFinite))).toBe(true);
    }
  }, 180_000);
});

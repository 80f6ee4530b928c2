/**
 * The feature VAE against the per-position Gaussian on the same cached backbone features (one input size): fits the
 * Gaussian on the fit split of train/good, trains the β-VAE on the fit images' whitened residuals, and prints image
 * ROC-AUC per defect type and pixel ROC-AUC for both maps (each smoothed σ cells, image score = max).
 * Features come from `eval/extract-features.ts` (cached under ~/.cache/vigil/vision/features).
 *
 *   nice npx tsx libs/vision/eval/feature-vae.eval.ts [features-dir] [dims] [epochs] [beta]
 */
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { decodeMask, GOOD, type MvtecSample, resolveDataDir } from '@vigil/datasets';
import { rocAuc, tf } from '@vigil/ml';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { FEATURE_CHANNELS } from '../src/backbone/efficientnet-lite.constants';
import { BinnedRocAuc } from '../src/evaluation/binned-roc-auc';
import { mapMax, smoothMap, upsampleBilinear } from '../src/maps/anomaly-map';
import { buildFeatureVae, disposeFeatureVae, featureVaeScores, trainFeatureVae } from '../src/models/feature-vae/feature-vae';
import { type PositionGaussian, PositionGaussianFit } from '../src/models/gaussian/gaussian-fit';
import { splitGood } from '../src/training/good-split';
import { type CachedFeatures as Cached, featureCacheDir, fromFloat16, readCached as readCachedIn } from './feature-cache';

const featuresDir = process.argv[2] ?? featureCacheDir(defaultCacheDir(), 'magnetic_tile-256');
const dims = Number(process.argv[3] ?? 100);
const epochs = Number(process.argv[4] ?? 4);
const beta = Number(process.argv[5] ?? 0.1);
const dataRoot = path.join(resolveDataDir(), 'mtd', 'magnetic_tile');
const SIGMA = 2;
const readCached = (part: string): Cached => readCachedIn(featuresDir, part);

/** Whitened residuals u = W_p(x·P − μ_p) of the chosen images, `[images · positions, dims]` (image-major). */
function residuals(cached: Cached, images: readonly number[], g: PositionGaussian, positions: number): Float32Array {
  const per = FEATURE_CHANNELS * positions;
  const out = new Float32Array(images.length * positions * g.dims);
  const projection = tf.tensor2d(g.projection, [FEATURE_CHANNELS, g.dims]);
  const mean = tf.tensor3d(g.mean, [positions, 1, g.dims]);
  const whitening = tf.tensor3d(g.whitening, [positions, g.dims, g.dims]);
  for (let start = 0; start < images.length; start += 16) {
    const batch = images.slice(start, start + 16);
    const x = new Float32Array(batch.length * per);
    batch.forEach((i, k) => x.set(fromFloat16(cached.data.subarray(i * per, (i + 1) * per)), k * per));
    const u = tf.tidy(() => {
      const byPosition = tf.transpose(tf.tensor3d(x, [batch.length, FEATURE_CHANNELS, positions]), [2, 0, 1]) as tf.Tensor3D;
      const reduced = tf.sub(
        tf.reshape(tf.matMul(tf.reshape(byPosition, [positions * batch.length, FEATURE_CHANNELS]), projection), [positions, batch.length, g.dims]),
        mean,
      );
      return tf.transpose(tf.matMul(reduced as tf.Tensor3D, whitening, false, true), [1, 0, 2]); // [n, P, d]
    });
    out.set(u.dataSync(), start * positions * g.dims);
    u.dispose();
  }
  tf.dispose([projection, mean, whitening]);
  return out;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const train = readCached('train');
  const test = readCached('test');
  const [, gh, gw] = train.shape;
  const positions = gh * gw;
  const grid: [number, number] = [gh, gw];
  const asSamples = (c: Cached): MvtecSample[] =>
    c.samples.map((s) => ({ imagePath: s.file, defectType: s.defectType, maskPath: s.mask ?? undefined }) as MvtecSample);
  const trainSamples = asSamples(train);
  const { fit } = splitGood(trainSamples, 0.1);
  const fitIndex = fit.map((s) => trainSamples.indexOf(s));
  const per = FEATURE_CHANNELS * positions;
  const gaussianFit = new PositionGaussianFit(gh, gw);
  for (let start = 0; start < fitIndex.length; start += 16) {
    const batch = fitIndex.slice(start, start + 16);
    const x = new Float32Array(batch.length * per);
    batch.forEach((i, k) => x.set(fromFloat16(train.data.subarray(i * per, (i + 1) * per)), k * per));
    gaussianFit.add(x, batch.length);
  }
  const gaussian = gaussianFit.finish(dims, 0.01);
  console.log(`Gaussian: ${fitIndex.length} fit images, ${dims} axes, ${gh}×${gw} grid (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

  const fitResiduals = residuals(train, fitIndex, gaussian, positions);
  const fitPositions = Int32Array.from({ length: fitIndex.length * positions }, (_, i) => i % positions);
  const vae = buildFeatureVae({ inputDims: dims, hidden: 128, latent: 16, seed: 7 });
  trainFeatureVae(vae, fitResiduals, fitPositions, grid, {
    epochs,
    beta,
    seed: 7,
    patchesPerEpoch: 200_000,
    onEpoch: (e, loss) => console.log(`VAE epoch ${e + 1}/${epochs}: loss ${loss.toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`),
  });

  const testIndex = test.samples.map((_, i) => i);
  const testResiduals = residuals(test, testIndex, gaussian, positions);
  const testPositions = Int32Array.from({ length: testIndex.length * positions }, (_, i) => i % positions);
  const vaeCells = featureVaeScores(vae, testResiduals, testPositions, grid, beta);
  const gaussCells = new Float32Array(testPositions.length);
  for (let i = 0; i < gaussCells.length; i++) {
    let s = 0;
    for (let k = 0; k < dims; k++) s += testResiduals[i * dims + k]! ** 2;
    gaussCells[i] = Math.sqrt(s);
  }
  disposeFeatureVae(vae);

  const isGood = test.samples.map((s) => s.defectType === GOOD);
  const types = [...new Set(test.samples.map((s) => s.defectType))].filter((t) => t !== GOOD).sort();
  const masks = await Promise.all(
    test.samples.map(async (s) => (s.mask ? (await decodeMask(path.join(dataRoot, s.mask), [256, 256])).data : new Uint8Array(256 * 256))),
  );
  const report = (name: string, cells: Float32Array) => {
    const maps = testIndex.map((i) => smoothMap(cells.subarray(i * positions, (i + 1) * positions).map(Math.sqrt), gh, gw, SIGMA));
    const scores = maps.map(mapMax);
    const perType = types.map((t) => {
      const picked = testIndex.filter((i) => isGood[i] || test.samples[i]!.defectType === t);
      return rocAuc(
        picked.map((i) => scores[i]!),
        picked.map((i) => (isGood[i] ? 0 : 1)),
      );
    });
    const up = maps.map((m) => upsampleBilinear(m, gh, gw, 256, 256));
    const pixel = new BinnedRocAuc(0, Math.max(...up.map(mapMax)));
    up.forEach((m, i) => pixel.add(m, masks[i]!));
    const all = rocAuc(
      scores,
      isGood.map((g) => (g ? 0 : 1)),
    );
    console.log(
      [name.padEnd(44), ...perType.map((a) => a.toFixed(3).padStart(9)), all.toFixed(3).padStart(10), pixel.value().toFixed(3).padStart(7)].join(' '),
    );
  };
  console.log(
    `same features (${path.basename(featuresDir)}), σ ${SIGMA} cells, image score = max; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(['model'.padEnd(44), ...types.map((t) => t.padStart(9)), 'all types'.padStart(10), 'pixel'.padStart(7)].join(' '));
  // The Gaussian's cells are ‖u‖ already; squaring them back keeps one code path (sqrt inside report).
  report(
    `per-position Gaussian, ${dims} axes`,
    gaussCells.map((v) => v * v),
  );
  report(
    `feature β-VAE on its residuals (β ${beta})`,
    vaeCells.map((v) => Math.max(v, 0)),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

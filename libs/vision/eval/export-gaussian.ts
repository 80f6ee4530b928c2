/**
 * Writes the per-position Gaussian inside a trained feature-VAE model as a model folder of its own (kind gaussian,
 * same heads, its own normalisers), with its threshold calibrated on the same held-out good images, so the
 * baseline can be served and scored by itself without refitting.
 *
 *   nice npx tsx libs/vision/eval/export-gaussian.ts <feature-vae-dir> <out-dir> <category-dir>
 */
import * as path from 'node:path';
import { listMvtecCategory } from '@vigil/datasets';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { scoreSamples } from '../src/evaluation/mvtec-evaluation';
import { calibrateThreshold } from '../src/evaluation/threshold';
import { GaussianVisionModel } from '../src/models/gaussian/gaussian-model';
import { splitGood } from '../src/training/good-split';

async function main(): Promise<void> {
  const [from, out, data] = process.argv.slice(2);
  if (!from || !out || !data) throw new Error('usage: export-gaussian.ts <feature-vae-dir> <out-dir> <category-dir>');
  const model = await GaussianVisionModel.load(from, defaultCacheDir());
  const gaussian = model.asGaussian();
  const { calibration } = splitGood(listMvtecCategory(data).train, 0.1);
  const { threshold, rule } = calibrateThreshold(await scoreSamples(gaussian, calibration));
  const calibrated = gaussian.withThreshold(threshold, rule);
  calibrated.manifest.version = `gaussian-of-${model.manifest.version}`;
  await calibrated.save(out);
  console.log(`${calibrated.manifest.version} → ${path.resolve(out)} (threshold ${threshold.toFixed(3)}, ${rule})`);
  await model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

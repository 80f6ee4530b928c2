/**
 * Writes a C-MAPSS model's held-out normal scores (CALIBRATION_SCORES_FILE) — what a detector serving it live
 * (a device route of turbofan engines, the replay scenario) starts its per-device SPOT thresholds from: the
 * normal windows (RUL > 125) of the validation engines of the model's own split (seed 7, 20 %), the same windows
 * its stored percentile threshold came from. `cmapss.eval.ts` writes the file for the models it trains.
 *
 *   npx tsx libs/ml/eval/cmapss-calibration.ts models/cmapss-fd001-cnn/v1 [--seed 7]
 */
import { loadWindowModel, scoreWindows } from '../src';
import { fd001Windows, writeCmapssCalibration } from './cmapss-split';
import { parseFlags } from './eval-support';

export async function cmapssValidationNormalScores(modelDir: string, seed = 7): Promise<Float32Array> {
  const { model } = await loadWindowModel(modelDir);
  const { validationNormal } = await fd001Windows(seed, model.steps);
  const scores = scoreWindows(model, validationNormal.batch);
  model.dispose();
  return scores;
}

async function main(): Promise<void> {
  const [dir] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (!dir) throw new Error('usage: cmapss-calibration.ts <model-version-dir> [--seed 7]');
  const seed = Number(parseFlags(process.argv.slice(2)).get('seed') ?? 7);
  const scores = await cmapssValidationNormalScores(dir, seed);
  const source = await writeCmapssCalibration(dir, scores, seed);
  console.log(`${dir}: ${scores.length} calibration scores from ${source}`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });

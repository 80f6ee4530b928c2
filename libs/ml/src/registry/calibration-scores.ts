/**
 * Held-out normal scores saved beside a model version (any modality's model): the sample its thresholds start
 * from, as `{ source, scores }`. One file name, one writer and one reader for everyone who trains, serves or
 * judges a model (trainers, detector, API); each caller decides what a version without them means (refuse to
 * serve it, or score a fallback set).
 *
 * @example
 *   await writeCalibrationScores(dir, heldOutScores, '124 held-out good images of train/good');
 *   const scores = (await readCalibrationScores(versionDir)) ?? refuse(versionDir);
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CALIBRATION_SCORES_FILE = 'calibration-scores.json';

/** The version's calibration scores, or undefined when it has none. */
export async function readCalibrationScores(versionDir: string): Promise<number[] | undefined> {
  const file = join(versionDir, CALIBRATION_SCORES_FILE);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(await readFile(file, 'utf8')) as { scores: number[] }).scores;
}

/**
 * Writes the held-out normal scores (7 significant digits) and where they come from. Refuses an empty list and a
 * non-finite score, naming the entry: thresholds started from either would be meaningless.
 */
export async function writeCalibrationScores(dir: string, scores: ArrayLike<number>, source: string): Promise<void> {
  if (scores.length === 0) throw new RangeError(`calibration scores for ${dir}: none (the model needs held-out normal data)`);
  const values = Array.from(scores);
  const bad = values.findIndex((s) => !Number.isFinite(s));
  if (bad >= 0) throw new TypeError(`calibration scores for ${dir}: entry ${bad} is ${values[bad]}, not a finite number`);
  await writeFile(join(dir, CALIBRATION_SCORES_FILE), `${JSON.stringify({ source, scores: values.map((s) => Number(s.toPrecision(7))) })}\n`);
}

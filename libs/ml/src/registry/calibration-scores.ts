/**
 * Held-out normal scores saved beside a model version (any modality's model): the sample its thresholds start
 * from. One file name and one reader for everyone who serves or judges a model (detector, API, trainer); each
 * caller decides what a version without them means (refuse to serve it, or score a fallback set).
 *
 * @example
 *   const scores = (await readCalibrationScores(versionDir)) ?? refuse(versionDir);
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const CALIBRATION_SCORES_FILE = 'calibration-scores.json';

/** The version's calibration scores, or undefined when it has none. */
export async function readCalibrationScores(versionDir: string): Promise<number[] | undefined> {
  const file = join(versionDir, CALIBRATION_SCORES_FILE);
  if (!existsSync(file)) return undefined;
  return (JSON.parse(await readFile(file, 'utf8')) as { scores: number[] }).scores;
}

/**
 * Reads and writes a threshold calibration as `<modelDir>/threshold.json`, beside the model files, so the
 * threshold always travels with the model version it was calibrated for. The only file of the thresholds
 * module that touches the filesystem.
 *
 * @example
 *   await writeCalibration('models/ts-vae/3', threshold.toCalibration({ modelVersion: '3' }));
 *   const threshold = thresholdFromCalibration(await readCalibration('models/ts-vae/3'));
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { THRESHOLD_CALIBRATION_FILE } from './threshold';
import { parseThresholdCalibration, type ThresholdCalibration } from './threshold-calibration';
import { InvalidThresholdStateError } from './threshold.errors';

/** Writes atomically (temporary file, then rename) so a reader never sees half a file. */
export async function writeCalibration(modelDir: string, calibration: ThresholdCalibration): Promise<string> {
  await mkdir(modelDir, { recursive: true });
  const path = join(modelDir, THRESHOLD_CALIBRATION_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(parseThresholdCalibration(calibration), null, 2)}\n`);
  await rename(temporary, path);
  return path;
}

/** Fails with `InvalidThresholdStateError` naming the file and the field when the content is not a calibration. */
export async function readCalibration(modelDir: string): Promise<ThresholdCalibration> {
  const path = join(modelDir, THRESHOLD_CALIBRATION_FILE);
  const json = JSON.parse(await readFile(path, 'utf8')) as unknown;
  try {
    return parseThresholdCalibration(json);
  } catch (error) {
    if (error instanceof InvalidThresholdStateError) throw new InvalidThresholdStateError(`${path}: ${error.message}`, { cause: error });
    throw error;
  }
}

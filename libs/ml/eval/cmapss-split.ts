/**
 * The C-MAPSS FD001 experiment's windows, as `cmapss.eval.ts` trains and evaluates on them and
 * `cmapss-calibration.ts` recalibrates an existing model on them: the 14 informative sensors (raw values), the
 * training engines split 80 / 20 by `seed` into train and validation engines, normal = RUL > 125
 * (libs/datasets/docs/cmapss-protocol.md); and the calibration file a detector serving the model starts from.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  cmapssWindows,
  type CmapssRow,
  type CmapssWindows,
  FD001_INFORMATIVE_SENSORS,
  filterWindows,
  labelByRul,
  loadCmapssSubset,
  sensorIndices,
  splitUnits,
  unitsOf,
} from '@vigil/datasets';
import { CALIBRATION_SCORES_FILE } from '../src';

export interface Fd001Windows {
  trainNormal: CmapssWindows;
  validationAll: CmapssWindows;
  validationNormal: CmapssWindows;
  test: CmapssWindows;
  /** Engines in each part of the split. */
  trainEngines: number;
  validationEngines: number;
}

export async function fd001Windows(seed: number, steps: number): Promise<Fd001Windows> {
  const { train, test } = await loadCmapssSubset('FD001');
  const indices = sensorIndices(FD001_INFORMATIVE_SENSORS);
  const rawSensors = (row: CmapssRow) => Float32Array.from(indices, (s) => row.sensors[s]!);
  const split = splitUnits(unitsOf(train), { validationFraction: 0.2, seed });
  const isNormal = (m: { rul: number }) => labelByRul(m.rul) === 'normal';
  const windowsOf = (units: ReadonlySet<number>) =>
    cmapssWindows(
      train.filter((r) => units.has(r.unit)),
      rawSensors,
      { length: steps },
    );
  const validationAll = windowsOf(split.validation);
  return {
    trainNormal: filterWindows(windowsOf(split.train), isNormal),
    validationAll,
    validationNormal: filterWindows(validationAll, isNormal),
    test: cmapssWindows(test, rawSensors, { length: steps }),
    trainEngines: split.train.size,
    validationEngines: split.validation.size,
  };
}

/** Writes the validation engines' normal-window scores as the model's held-out calibration; returns its source line. */
export async function writeCmapssCalibration(dir: string, scores: ArrayLike<number>, seed: number): Promise<string> {
  const source = `C-MAPSS FD001 validation engines (split seed ${seed}, 20 %), normal windows (RUL > 125)`;
  await writeFile(join(dir, CALIBRATION_SCORES_FILE), `${JSON.stringify({ source, scores: Array.from(scores, (s) => Number(s.toPrecision(6))) })}\n`);
  return source;
}

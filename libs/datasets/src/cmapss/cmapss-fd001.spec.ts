/**
 * Checks against NASA's real FD001 files, loaded once for the whole file (the files are 5.7 MB; parsing them
 * per spec would dominate the run). Skipped, with the path in the title, when the data folder is absent.
 */
import * as path from 'node:path';
import { assertValid } from '@vigil/features';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { loadCmapssSubset, type CmapssSubsetData } from './cmapss-files';
import { groupByUnit } from './cmapss-format';
import { prepareCmapssExperiment } from './cmapss-experiment';
import { validateCmapss } from './cmapss-validation';
import { cmapssWindows, labelByRul } from './cmapss-windows';
import { FD001_INFORMATIVE_SENSORS, selectInformativeSensors, sensorSpread } from './sensor-selection';

const cmapssDir = path.join(resolveDataDir(), 'cmapss');

describe.skipIf(!hasDataDir('cmapss/train_FD001.txt'))(`real FD001 files in ${cmapssDir} (skipped when absent)`, () => {
  let fd001: CmapssSubsetData;
  beforeAll(async () => {
    fd001 = await loadCmapssSubset('FD001', cmapssDir);
  });

  it('parses NASA’s published row and engine counts and the first test engine’s RUL', () => {
    const { train, test } = fd001;
    expect(train).toHaveLength(20631);
    expect(test).toHaveLength(13096);
    expect(groupByUnit(train).size).toBe(100);
    expect(groupByUnit(test).size).toBe(100);
    const lives = [...groupByUnit(train).values()].map((rows) => rows.length);
    expect(Math.min(...lives)).toBe(128);
    expect(Math.max(...lives)).toBe(362);
    expect(train[0]).toMatchObject({ unit: 1, cycle: 1, rul: 191 });
    expect(train[0]!.sensors[1]).toBeCloseTo(641.82, 10);
    const unit1 = groupByUnit(test).get(1)!;
    expect(unit1[unit1.length - 1]!.rul).toBe(112); // first line of RUL_FD001.txt
  });

  it('derives exactly the 14 informative sensors of the literature from the training file', () => {
    expect(selectInformativeSensors(fd001.train)).toEqual(FD001_INFORMATIVE_SENSORS);
    const spread = Object.fromEntries(sensorSpread(fd001.train).map((s) => [s.sensor, s]));
    expect(spread.s6!.modeFraction).toBeGreaterThan(0.95); // two values, 98% at one
    expect(spread.s1!.modeFraction).toBe(1); // one value
  });

  it('passes the validation suite with the 14 sensors', () => {
    expect(() => assertValid(validateCmapss(fd001.train, { sensors: FD001_INFORMATIVE_SENSORS }))).not.toThrow();
    expect(() => assertValid(validateCmapss(fd001.test, { sensors: FD001_INFORMATIVE_SENSORS }))).not.toThrow();
  });

  it('matches the window counts quoted in docs/cmapss-protocol.md', () => {
    const count = (rows: CmapssSubsetData['train']) => {
      const labels = cmapssWindows(rows, () => [0], { length: 30 }).meta.map((m) => labelByRul(m.rul));
      return [labels.length, labels.filter((l) => l === 'normal').length, labels.filter((l) => l === 'anomalous').length];
    };
    expect(count(fd001.train)).toEqual([17731, 5239, 3100]);
    expect(count(fd001.test).slice(1)).toEqual([5132, 332]);
  });

  it('builds the default FD001 experiment', () => {
    const experiment = prepareCmapssExperiment(fd001);
    expect(experiment.sensors).toEqual(FD001_INFORMATIVE_SENSORS);
    expect([experiment.fitUnits.length, experiment.validationUnits.length]).toEqual([80, 20]);
    expect(experiment.train.batch).toMatchObject({ steps: 30, channels: 14 });
    expect(experiment.test.batch.batch).toBe(13096 - 100 * 29); // every test engine has ≥ 30 cycles
    // Normalised on fit engines only: their normal windows sit near zero mean.
    const { data } = experiment.train.batch;
    expect(Math.abs(data.reduce((s, v) => s + v, 0) / data.length)).toBeLessThan(0.5);
  });
});

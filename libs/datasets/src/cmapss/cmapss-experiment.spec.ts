import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { loadCmapssSubset } from './cmapss-files';
import { parseCmapssRows, withTestRul, withTrainingRul } from './cmapss-format';
import { loadCmapssExperiment, prepareCmapssExperiment } from './cmapss-experiment';
import { syntheticCmapssText } from './cmapss-test-data';
import { cmapssWindows, labelByRul } from './cmapss-windows';
import { FD001_INFORMATIVE_SENSORS } from './sensor-selection';

describe('prepareCmapssExperiment on generated FD002-format data', () => {
  const train = withTrainingRul(parseCmapssRows(syntheticCmapssText(10, (u) => 150 + 5 * u)));
  const test = withTestRul(parseCmapssRows(syntheticCmapssText(3, () => 40)), [10, 50, 200]);
  const experiment = prepareCmapssExperiment({ subset: 'FD002', train, test }, { windowLength: 10, seed: 1 });

  it('splits engines, derives sensors per regime and keeps only normal windows for training', () => {
    expect(experiment.validationUnits).toHaveLength(2);
    expect(experiment.fitUnits.filter((u) => experiment.validationUnits.includes(u))).toEqual([]);
    expect(experiment.normaliser.conditions.count).toBe(6);
    expect(experiment.sensors).not.toContain('s5'); // constant in the generator
    expect(experiment.train.batch.channels).toBe(experiment.sensors.length);
    expect(experiment.train.meta.every((m) => m.rul > 125 && experiment.fitUnits.includes(m.unit))).toBe(true);
    expect(experiment.validation.meta.every((m) => experiment.validationUnits.includes(m.unit))).toBe(true);
    expect(new Set(experiment.validation.labels)).toEqual(new Set(['normal', 'unlabelled', 'anomalous']));
    expect(experiment.test.labels.at(-1)).toBe('normal'); // test engine 3 ends 200 cycles before failure
    expect(experiment.test.labels[0]).toBe('unlabelled'); // engine 1's first window ends at RUL 10 + 30
  });

  it('refuses corrupt input', () => {
    const broken = train.map((r) => ({ ...r, sensors: r.sensors.slice() }));
    broken[5]!.sensors[3] = Number.POSITIVE_INFINITY;
    expect(() => prepareCmapssExperiment({ subset: 'FD002', train: broken, test })).toThrow(/expectFinite\(s4\)/);
  });
});

const cmapssDir = path.join(resolveDataDir(), 'cmapss');
describe.skipIf(!hasDataDir('cmapss/train_FD001.txt'))(`FD001 protocol figures from ${cmapssDir} (skipped when absent)`, () => {
  it('matches the window counts quoted in docs/cmapss-protocol.md', async () => {
    const { train, test } = await loadCmapssSubset('FD001', cmapssDir);
    const count = (rows: typeof train) => {
      const labels = cmapssWindows(rows, () => [0], { length: 30 }).meta.map((m) => labelByRul(m.rul));
      return [labels.length, labels.filter((l) => l === 'normal').length, labels.filter((l) => l === 'anomalous').length];
    };
    expect(count(train)).toEqual([17731, 5239, 3100]);
    expect(count(test).slice(1)).toEqual([5132, 332]);
  });

  it('builds the default FD001 experiment', async () => {
    const experiment = await loadCmapssExperiment({ folder: cmapssDir });
    expect(experiment.sensors).toEqual(FD001_INFORMATIVE_SENSORS);
    expect([experiment.fitUnits.length, experiment.validationUnits.length]).toEqual([80, 20]);
    expect(experiment.train.batch).toMatchObject({ steps: 30, channels: 14 });
    expect(experiment.test.batch.batch).toBe(13096 - 100 * 29); // every test engine has ≥ 30 cycles
    // Normalised on fit engines only: their normal windows sit near zero mean.
    const { data } = experiment.train.batch;
    const mean = data.reduce((s, v) => s + v, 0) / data.length;
    expect(Math.abs(mean)).toBeLessThan(0.5);
  });
});

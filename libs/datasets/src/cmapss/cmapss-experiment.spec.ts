import { describe, expect, it } from 'vitest';
import { parseCmapssRows, withTestRul, withTrainingRul } from './cmapss-format';
import { prepareCmapssExperiment } from './cmapss-experiment';
import { syntheticCmapssText } from './cmapss-test-data';

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

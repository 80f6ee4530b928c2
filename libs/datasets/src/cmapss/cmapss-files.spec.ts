import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONDITION_COUNT, groupByUnit } from './cmapss-format';
import { loadCmapssExperiment } from './cmapss-experiment';
import { cmapssFilePaths, loadCmapssSubset } from './cmapss-files';
import { syntheticCmapssText } from './cmapss-test-data';
import { fitOperatingConditions } from './operating-conditions';

describe('loadCmapssSubset on generated FD002/FD004-format files', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'vigil-cmapss-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it.each(['FD002', 'FD004'] as const)('reads %s by its NASA file names and finds six regimes', async (subset) => {
    const files = cmapssFilePaths(subset, folder);
    writeFileSync(
      files.train,
      syntheticCmapssText(3, (u) => 20 + u),
    );
    writeFileSync(
      files.test,
      syntheticCmapssText(2, (u) => 5 + u),
    );
    writeFileSync(files.rul, '7\n3\n');
    const data = await loadCmapssSubset(subset, folder);
    expect(data.train).toHaveLength(21 + 22 + 23);
    expect(data.test.map((r) => r.rul).slice(0, 6)).toEqual([12, 11, 10, 9, 8, 7]);
    expect(groupByUnit(data.test).get(2)!.at(-1)!.rul).toBe(3);
    const regimes = fitOperatingConditions(data.train, CONDITION_COUNT[subset]);
    expect(new Set(data.train.map((r) => regimes.assign(r.settings))).size).toBe(6);
  });

  it('loadCmapssExperiment reads a folder and runs the protocol on it', async () => {
    const files = cmapssFilePaths('FD003', folder);
    writeFileSync(
      files.train,
      syntheticCmapssText(5, () => 140),
    );
    writeFileSync(
      files.test,
      syntheticCmapssText(2, () => 12),
    );
    writeFileSync(files.rul, '20\n150\n');
    const experiment = await loadCmapssExperiment({ subset: 'FD003', folder, windowLength: 10, validationFraction: 0.4 });
    expect(experiment.validationUnits).toHaveLength(2);
    expect(experiment.normaliser.conditions.count).toBe(1); // FD003 flies one regime
    expect(experiment.test.labels).toEqual(['anomalous', 'anomalous', 'anomalous', 'normal', 'normal', 'normal']); // RUL 22..20, 152..150
  });

  it('names the missing file when a subset is absent', async () => {
    await expect(loadCmapssSubset('FD004', path.join(folder, 'nowhere'))).rejects.toThrow(/FD004/);
  });
});

import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { parseCmapssRows } from './cmapss-format';
import { loadCmapssSubset } from './cmapss-files';
import { syntheticCmapssText } from './cmapss-test-data';
import { fitOperatingConditions } from './operating-conditions';
import { FD001_INFORMATIVE_SENSORS, selectInformativeSensors, sensorIndices, sensorSpread } from './sensor-selection';

describe('selectInformativeSensors', () => {
  const rows = parseCmapssRows(syntheticCmapssText(3, () => 40));

  it('drops a constant sensor and keeps the varying ones', () => {
    const selected = selectInformativeSensors(rows);
    expect(selected).not.toContain('s5');
    expect(selected).toHaveLength(20);
  });

  it('drops a sensor that is constant within each regime when regimes are given', () => {
    for (const row of rows) row.sensors[2] = 100 + 10 * Math.round(row.settings[0]!); // depends on the regime only
    const regimes = fitOperatingConditions(rows, 6);
    expect(selectInformativeSensors(rows)).toContain('s3');
    expect(selectInformativeSensors(rows, { conditionOf: (r) => regimes.assign(r.settings) })).not.toContain('s3');
  });

  it('maps names to indices and rejects unknown names', () => {
    expect(sensorIndices(['s1', 's21'])).toEqual([0, 20]);
    expect(() => sensorIndices(['T24'])).toThrow(/unknown C-MAPSS sensor "T24"/);
  });
});

const cmapssDir = path.join(resolveDataDir(), 'cmapss');
describe.skipIf(!hasDataDir('cmapss/train_FD001.txt'))(`FD001 sensors from ${cmapssDir} (skipped when absent)`, () => {
  it('derives exactly the 14 informative sensors of the literature from train_FD001.txt', async () => {
    const { train } = await loadCmapssSubset('FD001', cmapssDir);
    expect(selectInformativeSensors(train)).toEqual(FD001_INFORMATIVE_SENSORS);
    const spread = Object.fromEntries(sensorSpread(train).map((s) => [s.sensor, s]));
    expect(spread.s6!.modeFraction).toBeGreaterThan(0.95); // two values, 98% at one
    expect(spread.s1!.modeFraction).toBe(1); // one value
  });
});

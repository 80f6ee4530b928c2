import { describe, expect, it } from 'vitest';
import { parseCmapssRows } from './cmapss-format';
import { syntheticCmapssText } from './cmapss-test-data';
import { fitOperatingConditions } from './operating-conditions';
import { selectInformativeSensors, sensorIndices } from './sensor-selection';

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

import { describe, expect, it } from 'vitest';
import { parseCmapssRows } from './cmapss-format';
import { FD002_REGIMES, syntheticCmapssText } from './cmapss-test-data';
import { OperatingConditions, fitOperatingConditions } from './operating-conditions';

const rows = parseCmapssRows(syntheticCmapssText(4, () => 60));
const trueRegime = (settings: Float64Array) => FD002_REGIMES.findIndex(([a]) => Math.abs(a - settings[0]!) < 0.1);

describe('fitOperatingConditions', () => {
  it('recovers the six FD002 regimes exactly, in a stable sorted order', () => {
    const model = fitOperatingConditions(rows, 6);
    expect(model.count).toBe(6);
    // Centroids sorted by setting1, which for these regimes is also the true order.
    model.centroids.forEach((c, k) => {
      expect(c[0]).toBeCloseTo(FD002_REGIMES[k]![0], 1);
      expect(c[2]).toBeCloseTo(FD002_REGIMES[k]![2], 6);
    });
    for (const row of rows) expect(model.assign(row.settings)).toBe(trueRegime(row.settings));
  });

  it('gives the same model whatever the row order', () => {
    const reversed = fitOperatingConditions([...rows].reverse(), 6);
    expect(reversed.centroids).toEqual(fitOperatingConditions(rows, 6).centroids.map((c) => c.map((v) => expect.closeTo(v, 9))));
  });

  it('with k = 1 assigns everything to condition 0', () => {
    const model = fitOperatingConditions(rows, 1);
    expect(new Set(rows.map((r) => model.assign(r.settings)))).toEqual(new Set([0]));
  });

  it('survives a JSON round trip', () => {
    const model = fitOperatingConditions(rows, 6);
    const copy = OperatingConditions.fromJSON(JSON.parse(JSON.stringify(model)));
    for (const row of rows.slice(0, 50)) expect(copy.assign(row.settings)).toBe(model.assign(row.settings));
    expect(() => OperatingConditions.fromJSON({ kind: 'other' } as never)).toThrow(/operating-conditions/);
  });

  it('rejects an impossible k', () => {
    expect(() => fitOperatingConditions(rows.slice(0, 3), 4)).toThrow(RangeError);
    expect(() => fitOperatingConditions([], 1)).toThrow(/no rows/);
  });
});

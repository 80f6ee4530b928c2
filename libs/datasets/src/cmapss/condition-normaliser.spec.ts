import { describe, expect, it } from 'vitest';
import { parseCmapssRows } from './cmapss-format';
import { syntheticCmapssText } from './cmapss-test-data';
import { ConditionNormaliser, fitConditionNormaliser } from './condition-normaliser';
import { fitOperatingConditions } from './operating-conditions';

const rows = parseCmapssRows(syntheticCmapssText(4, () => 80));
const conditions = fitOperatingConditions(rows, 6);
const sensors = ['s1', 's2', 's5'];

describe('ConditionNormaliser', () => {
  const normaliser = fitConditionNormaliser(rows, { sensors, conditions });

  it('gives zero mean and unit std within every condition on the training rows', () => {
    for (let c = 0; c < 6; c++) {
      const z = rows.filter((r) => conditions.assign(r.settings) === c).map((r) => normaliser.transformRow(r));
      for (const j of [0, 1]) {
        const values = z.map((v) => v[j]!);
        const mean = values.reduce((s, v) => s + v, 0) / values.length;
        const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
        expect(mean).toBeCloseTo(0, 5);
        expect(std).toBeCloseTo(1, 5);
      }
    }
  });

  it('removes the regime offset that dominates raw s1', () => {
    // Raw s1 = 500 + 10·regime + trend; after normalisation the regime means coincide.
    const s1 = (c: number) => {
      const v = rows.filter((r) => conditions.assign(r.settings) === c).map((r) => normaliser.transformRow(r)[0]!);
      return v.reduce((s, x) => s + x, 0) / v.length;
    };
    expect(Math.abs(s1(0) - s1(5))).toBeLessThan(1e-5);
    expect(normaliser.mean[5]![0]! - normaliser.mean[0]![0]!).toBeCloseTo(50, 0);
  });

  it('maps a constant sensor to 0 instead of dividing by zero', () => {
    for (const row of rows.slice(0, 20)) expect(Math.abs(normaliser.transformRow(row)[2]!)).toBeLessThan(1e-9);
    expect(normaliser.std.every((s) => s[2] === 1)).toBe(true);
  });

  it('reproduces the same output after a JSON round trip', () => {
    const copy = ConditionNormaliser.fromJSON(JSON.parse(JSON.stringify(normaliser)));
    expect(copy.sensors).toEqual(sensors);
    for (const row of rows.slice(0, 30)) expect(copy.transformRow(row)).toEqual(normaliser.transformRow(row));
  });

  it('refuses to fit a condition without training rows', () => {
    const onlyFirst = rows.filter((r) => conditions.assign(r.settings) === 0);
    expect(() => fitConditionNormaliser(onlyFirst, { sensors, conditions })).toThrow(/condition 1 has no training rows/);
  });
});

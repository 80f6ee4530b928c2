import { DataValidationError, assertValid } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { parseCmapssRows, withTrainingRul } from './cmapss-format';
import { syntheticCmapssText } from './cmapss-test-data';
import { validateCmapss } from './cmapss-validation';

const fresh = () => withTrainingRul(parseCmapssRows(syntheticCmapssText(2, () => 6)));

describe('validateCmapss', () => {
  it('passes well-formed rows', () => {
    expect(validateCmapss(fresh(), { sensors: ['s2'] }).success).toBe(true);
  });

  it.each([
    ['a NaN sensor', (rows: ReturnType<typeof fresh>) => (rows[3]!.sensors[4] = Number.NaN), 'expectFinite', 's5'],
    ['a skipped cycle', (rows: ReturnType<typeof fresh>) => rows.splice(2, 1), 'expectNoGaps', 'cycle'],
    ['cycles out of order', (rows: ReturnType<typeof fresh>) => ([rows[1], rows[2]] = [rows[2]!, rows[1]!]), 'expectMonotonic', 'cycle'],
    ['a stuck selected sensor', (rows: ReturnType<typeof fresh>) => rows.forEach((r) => (r.sensors[1] = 642)), 'expectNotConstant', 's2'],
    ['RUL not attached', (rows: ReturnType<typeof fresh>) => rows.forEach((r) => (r.rul = Number.NaN)), 'expectInRange', 'rul'],
  ])('fails on %s, and assertValid says which check', (_name, corrupt, expectation, column) => {
    const rows = fresh();
    corrupt(rows);
    const report = validateCmapss(rows, { sensors: ['s2'] });
    expect(report.results.filter((r) => !r.success).map((r) => [r.expectation, r.column])).toContainEqual([expectation, column]);
    expect(() => assertValid(report)).toThrow(DataValidationError);
    expect(() => assertValid(report)).toThrow(new RegExp(`${expectation}\\(${column}\\)`));
  });
});

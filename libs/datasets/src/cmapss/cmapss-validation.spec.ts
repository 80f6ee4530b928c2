import * as path from 'node:path';
import { DataValidationError, assertValid } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { parseCmapssRows, withTrainingRul } from './cmapss-format';
import { loadCmapssSubset } from './cmapss-files';
import { syntheticCmapssText } from './cmapss-test-data';
import { validateCmapss } from './cmapss-validation';
import { FD001_INFORMATIVE_SENSORS } from './sensor-selection';

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

const cmapssDir = path.join(resolveDataDir(), 'cmapss');
describe.skipIf(!hasDataDir('cmapss/train_FD001.txt'))(`real FD001 files in ${cmapssDir} (skipped when absent)`, () => {
  it('the real train and test files pass the suite with the 14 FD001 sensors', async () => {
    const { train, test } = await loadCmapssSubset('FD001', cmapssDir);
    expect(() => assertValid(validateCmapss(train, { sensors: FD001_INFORMATIVE_SENSORS }))).not.toThrow();
    expect(() => assertValid(validateCmapss(test, { sensors: FD001_INFORMATIVE_SENSORS }))).not.toThrow();
  });
});

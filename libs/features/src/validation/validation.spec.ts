import { describe, expect, it } from 'vitest';
import {
  expectColumns,
  expectFinite,
  expectInRange,
  expectMonotonic,
  expectNoGaps,
  expectNoMissing,
  expectNotConstant,
  expectType,
  type Expectation,
} from './expectations';
import { tableFromRows, tableFromWindow, type Table } from './table';
import { DataValidationError, assertValid, validate } from './validation';

/** Clean sensor data: two engines, cycles 1..5, a varying temperature and pressure. */
const clean: Table = {
  unit: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
  cycle: [1, 2, 3, 4, 5, 1, 2, 3, 4, 5],
  temperature: [641.8, 642.1, 642.3, 642.0, 642.5, 641.9, 642.2, 642.4, 642.6, 642.8],
  pressure: [14.6, 14.7, 14.5, 14.6, 14.8, 14.6, 14.5, 14.7, 14.6, 14.9],
};
const suite = (): (Expectation | Expectation[])[] => [
  expectColumns(['unit', 'cycle', 'temperature', 'pressure']),
  expectType('unit', 'integer'),
  expectNoMissing('temperature'),
  expectFinite(['temperature', 'pressure']),
  expectInRange('temperature', { min: 600, max: 700 }),
  expectNotConstant('pressure'),
  expectMonotonic('cycle', { strict: true, groupBy: 'unit' }),
  expectNoGaps('cycle', { step: 1, groupBy: 'unit' }),
];
const withColumn = (column: string, values: unknown[]): Table => ({ ...clean, [column]: values });
const failures = (table: Table) => validate(table, suite()).results.filter((r) => !r.success);

describe('validate', () => {
  it('passes clean data and reports every expectation', () => {
    const report = validate(clean, suite());
    expect(report.success).toBe(true);
    expect(report.statistics).toEqual({ evaluated: 9, successful: 9, unsuccessful: 0 });
    expect(() => assertValid(report)).not.toThrow();
  });

  it.each([
    [
      'a missing column (schema)',
      (() => {
        const { pressure: _p, ...rest } = clean;
        return rest;
      })(),
      'expectColumns',
      { missing: ['pressure'] },
    ],
    ['ragged columns (schema)', withColumn('pressure', [14.6, 14.7]), 'expectColumns', { ragged: true }],
    ['a wrong type (schema)', withColumn('unit', [1, 1, 1, 1, 1.5, 2, 2, 2, 2, 2]), 'expectType', { unexpectedCount: 1, unexpectedRows: [4] }],
    [
      'a missing value',
      withColumn('temperature', [641.8, null, 642.3, 642.0, 642.5, 641.9, 642.2, 642.4, 642.6, 642.8]),
      'expectNoMissing',
      { missingRows: [1] },
    ],
    ['a NaN', withColumn('pressure', [14.6, NaN, 14.5, 14.6, 14.8, 14.6, 14.5, 14.7, 14.6, 14.9]), 'expectFinite', { nanCount: 1, nanRows: [1] }],
    [
      'an Infinity',
      withColumn('temperature', [641.8, 642.1, -Infinity, 642.0, 642.5, 641.9, 642.2, 642.4, 642.6, 642.8]),
      'expectFinite',
      { infiniteRows: [2] },
    ],
    [
      'an out-of-range value',
      withColumn('temperature', [641.8, 642.1, 642.3, 9999, 642.5, 641.9, 642.2, 642.4, 642.6, 642.8]),
      'expectInRange',
      { outOfRangeRows: [3], observedMax: 9999 },
    ],
    ['a constant channel', withColumn('pressure', Array(10).fill(14.62)), 'expectNotConstant', { distinctValues: 1 }],
    ['time going backwards', withColumn('cycle', [1, 2, 3, 2, 4, 1, 2, 3, 4, 5]), 'expectMonotonic', { violationCount: 1, violationRows: [3] }],
    [
      'a sampling gap',
      withColumn('cycle', [1, 2, 3, 4, 5, 1, 2, 5, 6, 7]),
      'expectNoGaps',
      { gapCount: 1, gaps: [{ row: 7, from: 2, to: 5, missingSteps: 2 }] },
    ],
  ])('catches %s', (_name, table, expectation, details) => {
    const failed = failures(table);
    expect(failed.map((r) => r.expectation)).toContain(expectation);
    expect(failed.find((r) => r.expectation === expectation)!.details).toMatchObject(details);
  });

  it('fails (not throws) an expectation whose column or group column is missing', () => {
    const [finite] = expectFinite(['humidity']);
    expect(finite!.check(clean)).toMatchObject({ success: false, column: 'humidity', details: { error: 'column "humidity" is missing' } });
    expect(expectMonotonic('cycle', { groupBy: 'engine' }).check(clean).details).toEqual({ error: 'group column "engine" is missing' });
  });

  it('honours mostly, exact schemas, mode fractions and non-strict monotonicity', () => {
    const oneBad = withColumn('temperature', [641.8, 642.1, 642.3, 9999, 642.5, 641.9, 642.2, 642.4, 642.6, 642.8]);
    expect(expectInRange('temperature', { min: 600, max: 700, mostly: 0.9 }).check(oneBad).success).toBe(true);
    expect(expectColumns(['unit', 'cycle'], { exact: true }).check(clean).details).toMatchObject({ unexpected: ['temperature', 'pressure'] });
    const nearlyStuck = { x: [1, 1, 1, 1, 1, 1, 1, 1, 1, 2] };
    expect(expectNotConstant('x').check(nearlyStuck).success).toBe(true);
    expect(expectNotConstant('x', { maxModeFraction: 0.8 }).check(nearlyStuck).success).toBe(false);
    expect(expectMonotonic('t', { strict: false }).check({ t: [1, 1, 2] }).success).toBe(true);
    expect(expectMonotonic('t').check({ t: [1, 1, 2] }).success).toBe(false);
  });

  it('lists at most 10 offending rows but counts them all', () => {
    const r = expectFinite(['x'])[0]!.check({ x: Array(25).fill(NaN) });
    expect(r.details).toMatchObject({ nanCount: 25, nanRows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] });
  });
});

describe('assertValid', () => {
  it('throws a DataValidationError that lists every violation', () => {
    const broken = withColumn('pressure', [14.6, NaN, 14.6, 14.6, 14.6, 14.6, 14.6, 14.6, 14.6, 14.6]);
    const report = validate(broken, suite());
    let error: unknown;
    try {
      assertValid(report);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataValidationError);
    const validationError = error as DataValidationError;
    expect(validationError.retriable).toBe(false);
    expect(validationError.message).toMatch(/^1 of 9 expectations failed:\n {2}- expectFinite\(pressure\): \{"nanCount":1/);
    expect(validationError.violations).toHaveLength(1);
    expect(validationError.report).toBe(report);
  });
});

describe('table helpers', () => {
  it('builds columns from rows and from a [steps][channels] window', () => {
    expect(tableFromRows([{ t: 0, x: 1 }, { t: 1 }])).toEqual({ t: [0, 1], x: [1, undefined] });
    const table = tableFromWindow([1, 10, 2, 20, 3, 30], 3, ['a', 'b']);
    expect(Array.from(table.b!)).toEqual([10, 20, 30]);
    expect(() => tableFromWindow([1, 2, 3], 2, ['a', 'b'])).toThrow(/expected 2×2/);
  });
});

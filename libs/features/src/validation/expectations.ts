/**
 * Expectations: small named checks over a Table that each return a result with details (counts, the first
 * offending row indices, observed values), in the spirit of Great Expectations. Compose them into a suite with
 * `validate` (validation.ts).
 *
 * @example
 *   const suite = [
 *     expectColumns(['unit', 'cycle', 's2']),
 *     expectFinite(['s2']),
 *     expectInRange('s2', { min: 600, max: 700 }),
 *     expectNotConstant('s2'),
 *     expectMonotonic('cycle', { strict: true, groupBy: 'unit' }),
 *     expectNoGaps('cycle', { step: 1, groupBy: 'unit' }),
 *   ];
 */
import { type Column, type Table, rowCount } from './table';

export interface ExpectationResult {
  expectation: string;
  column?: string;
  success: boolean;
  details: Record<string, unknown>;
}

export interface Expectation {
  readonly name: string;
  readonly column?: string;
  check(table: Table): ExpectationResult;
}

/** How many offending row indices a result lists. */
export const MAX_EXAMPLES = 10;

function result(name: string, column: string | undefined, success: boolean, details: Record<string, unknown>): ExpectationResult {
  return column === undefined ? { expectation: name, success, details } : { expectation: name, column, success, details };
}

/** A missing column fails the expectation that needs it (and says so) instead of throwing. */
function withColumn(name: string, column: string, table: Table, body: (values: Column) => ExpectationResult): ExpectationResult {
  const values = table[column];
  return values === undefined ? result(name, column, false, { error: `column "${column}" is missing` }) : body(values);
}

function offending(values: Column, bad: (v: unknown, i: number) => boolean): { count: number; examples: number[] } {
  let count = 0;
  const examples: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (bad(values[i], i)) {
      count++;
      if (examples.length < MAX_EXAMPLES) examples.push(i);
    }
  }
  return { count, examples };
}

/** Schema: the columns are present and of equal length; `exact` also forbids others. */
export function expectColumns(columns: readonly string[], { exact = false } = {}): Expectation {
  const name = 'expectColumns';
  return {
    name,
    check(table) {
      const present = Object.keys(table);
      const missing = columns.filter((c) => !(c in table));
      const unexpected = exact ? present.filter((c) => !columns.includes(c)) : [];
      const lengths = Object.fromEntries(present.map((c) => [c, table[c]!.length]));
      const ragged = new Set(Object.values(lengths)).size > 1;
      return result(name, undefined, missing.length === 0 && unexpected.length === 0 && !ragged, { missing, unexpected, ragged, lengths });
    },
  };
}

export type ColumnType = 'number' | 'integer' | 'string' | 'boolean';

const isType: Record<ColumnType, (v: unknown) => boolean> = {
  number: (v) => typeof v === 'number',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  string: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean',
};

/** Schema: every value of the column has the type (null/undefined count as wrong: see expectNoMissing). */
export function expectType(column: string, type: ColumnType): Expectation {
  const name = 'expectType';
  return {
    name,
    column,
    check: (table) =>
      withColumn(name, column, table, (values) => {
        const bad = offending(values, (v) => !isType[type](v));
        return result(name, column, bad.count === 0, { type, unexpectedCount: bad.count, unexpectedRows: bad.examples });
      }),
  };
}

/** No null or undefined values. */
export function expectNoMissing(column: string): Expectation {
  const name = 'expectNoMissing';
  return {
    name,
    column,
    check: (table) =>
      withColumn(name, column, table, (values) => {
        const bad = offending(values, (v) => v === null || v === undefined);
        return result(name, column, bad.count === 0, { missingCount: bad.count, missingRows: bad.examples });
      }),
  };
}

/** No NaN, +Infinity or −Infinity in each of the columns (one result per column). */
export function expectFinite(columns: readonly string[]): Expectation[] {
  const name = 'expectFinite';
  return columns.map((column) => ({
    name,
    column,
    check: (table: Table) =>
      withColumn(name, column, table, (values) => {
        const nan = offending(values, (v) => typeof v === 'number' && Number.isNaN(v));
        const infinite = offending(values, (v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY);
        return result(name, column, nan.count + infinite.count === 0, {
          nanCount: nan.count,
          nanRows: nan.examples,
          infiniteCount: infinite.count,
          infiniteRows: infinite.examples,
        });
      }),
  }));
}

/**
 * Numeric values within [min, max]; `mostly` (0..1, default 1) is the share that must comply, as in Great
 * Expectations. Non-numbers and NaN count as out of range.
 */
export function expectInRange(column: string, { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, mostly = 1 } = {}): Expectation {
  const name = 'expectInRange';
  return {
    name,
    column,
    check: (table) =>
      withColumn(name, column, table, (values) => {
        const bad = offending(values, (v) => !(typeof v === 'number' && v >= min && v <= max));
        const compliant = values.length === 0 ? 1 : 1 - bad.count / values.length;
        let observedMin = Number.POSITIVE_INFINITY;
        let observedMax = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < values.length; i++) {
          const v = values[i];
          if (typeof v === 'number' && !Number.isNaN(v)) {
            observedMin = Math.min(observedMin, v);
            observedMax = Math.max(observedMax, v);
          }
        }
        return result(name, column, compliant >= mostly, {
          min,
          max,
          mostly,
          outOfRangeCount: bad.count,
          outOfRangeRows: bad.examples,
          observedMin,
          observedMax,
        });
      }),
  };
}

/**
 * Not a constant (stuck) channel: at least `minDistinct` distinct values (default 2) and no single value covering
 * more than `maxModeFraction` of rows (default 1, i.e. off).
 */
export function expectNotConstant(column: string, { minDistinct = 2, maxModeFraction = 1 } = {}): Expectation {
  const name = 'expectNotConstant';
  return {
    name,
    column,
    check: (table) =>
      withColumn(name, column, table, (values) => {
        const counts = new Map<unknown, number>();
        for (let i = 0; i < values.length; i++) counts.set(values[i], (counts.get(values[i]) ?? 0) + 1);
        const modeCount = Math.max(0, ...counts.values());
        const modeFraction = values.length === 0 ? 1 : modeCount / values.length;
        const success = counts.size >= minDistinct && (maxModeFraction >= 1 || modeFraction <= maxModeFraction);
        return result(name, column, success, { distinctValues: counts.size, minDistinct, modeFraction, maxModeFraction });
      }),
  };
}

/** Row indices split by the group column (all rows in one group without it), each in row order. */
function groups(table: Table, groupBy: string | undefined): Map<unknown, number[]> {
  const out = new Map<unknown, number[]>();
  const keys = groupBy === undefined ? undefined : table[groupBy];
  const rows = rowCount(table);
  for (let i = 0; i < rows; i++) {
    const key = keys ? keys[i] : null;
    const list = out.get(key);
    if (list) list.push(i);
    else out.set(key, [i]);
  }
  return out;
}

function missingGroupColumn(name: string, column: string, table: Table, groupBy: string | undefined): ExpectationResult | undefined {
  return groupBy !== undefined && !(groupBy in table) ? result(name, column, false, { error: `group column "${groupBy}" is missing` }) : undefined;
}

/** Time (or any) column increasing in row order, optionally within each group (e.g. per engine). */
export function expectMonotonic(column: string, { strict = true, groupBy }: { strict?: boolean; groupBy?: string } = {}): Expectation {
  const name = 'expectMonotonic';
  return {
    name,
    column,
    check: (table) =>
      missingGroupColumn(name, column, table, groupBy) ??
      withColumn(name, column, table, (values) => {
        let count = 0;
        const rows: number[] = [];
        for (const indices of groups(table, groupBy).values()) {
          for (let k = 1; k < indices.length; k++) {
            const previous = values[indices[k - 1]!] as number;
            const current = values[indices[k]!] as number;
            if (!(strict ? current > previous : current >= previous)) {
              count++;
              if (rows.length < MAX_EXAMPLES) rows.push(indices[k]!);
            }
          }
        }
        return result(name, column, count === 0, { strict, groupBy: groupBy ?? null, violationCount: count, violationRows: rows });
      }),
  };
}

/**
 * Sampling gaps: consecutive time values (within each group) must differ by at most step·(1 + tolerance).
 * Reports each gap's row and size in steps.
 */
export function expectNoGaps(column: string, { step, tolerance = 0.5, groupBy }: { step: number; tolerance?: number; groupBy?: string }): Expectation {
  if (!(step > 0)) throw new RangeError(`step must be positive, got ${step}`);
  const name = 'expectNoGaps';
  return {
    name,
    column,
    check: (table) =>
      missingGroupColumn(name, column, table, groupBy) ??
      withColumn(name, column, table, (values) => {
        const gaps: { row: number; from: number; to: number; missingSteps: number }[] = [];
        let gapCount = 0;
        for (const indices of groups(table, groupBy).values()) {
          for (let k = 1; k < indices.length; k++) {
            const from = values[indices[k - 1]!] as number;
            const to = values[indices[k]!] as number;
            if (to - from > step * (1 + tolerance)) {
              gapCount++;
              if (gaps.length < MAX_EXAMPLES) gaps.push({ row: indices[k]!, from, to, missingSteps: Math.round((to - from) / step) - 1 });
            }
          }
        }
        return result(name, column, gapCount === 0, { step, tolerance, groupBy: groupBy ?? null, gapCount, gaps });
      }),
  };
}

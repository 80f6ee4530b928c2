/**
 * Runs a suite of expectations over a table and reports, Great-Expectations style; `assertValid` turns a failed
 * report into a `DataValidationError` that lists every violation, so pipelines fail loudly and early.
 *
 * @example
 *   const report = validate(table, [expectColumns(['t', 'x']), ...expectFinite(['x']), expectNoGaps('t', { step: 1 })]);
 *   report.success;              // false if any expectation failed
 *   assertValid(report);         // throws DataValidationError: "2 of 3 expectations failed: …"
 */
import { type Expectation, type ExpectationResult } from './expectations';
import { type Table } from './table';

export interface ValidationReport {
  success: boolean;
  statistics: { evaluated: number; successful: number; unsuccessful: number };
  results: ExpectationResult[];
}

export function validate(table: Table, suite: readonly (Expectation | readonly Expectation[])[]): ValidationReport {
  const results = suite.flat().map((expectation) => expectation.check(table));
  const successful = results.filter((r) => r.success).length;
  return {
    success: successful === results.length,
    statistics: { evaluated: results.length, successful, unsuccessful: results.length - successful },
    results,
  };
}

export class DataValidationError extends Error {
  override readonly name = 'DataValidationError';
  /** Bad data does not fix itself on retry. */
  readonly retriable = false;

  constructor(readonly report: ValidationReport) {
    const failures = report.results.filter((r) => !r.success);
    const lines = failures.map((r) => `  - ${r.expectation}${r.column === undefined ? '' : `(${r.column})`}: ${JSON.stringify(r.details)}`);
    super(`${failures.length} of ${report.statistics.evaluated} expectations failed:\n${lines.join('\n')}`);
  }

  /** The failed results only. */
  get violations(): ExpectationResult[] {
    return this.report.results.filter((r) => !r.success);
  }
}

export function assertValid(report: ValidationReport): void {
  if (!report.success) throw new DataValidationError(report);
}

/**
 * Data-validation suite for C-MAPSS rows (see @vigil/features validation): the 26-column schema, integer unit
 * and cycle, finite settings and sensors, cycles strictly increasing without gaps within each engine, RUL ≥ 0,
 * and (optionally) the selected sensors not stuck. Run it on every file before fitting or scoring.
 *
 * @example
 *   assertValid(validateCmapss(train, { sensors: FD001_INFORMATIVE_SENSORS }));   // throws DataValidationError
 */
import {
  expectColumns,
  expectFinite,
  expectInRange,
  expectMonotonic,
  expectNoGaps,
  expectNotConstant,
  expectType,
  validate,
  type Expectation,
  type Table,
  type ValidationReport,
} from '@vigil/features';
import { SENSOR_NAMES, SETTING_NAMES, type CmapssRow } from './cmapss-format';

/** Column table of rows: unit, cycle, setting1..3, s1..s21, rul. */
export function cmapssTable(rows: readonly CmapssRow[]): Table {
  const table: Record<string, ArrayLike<number>> = {
    unit: rows.map((r) => r.unit),
    cycle: rows.map((r) => r.cycle),
    rul: rows.map((r) => r.rul),
  };
  SETTING_NAMES.forEach((name, j) => (table[name] = rows.map((r) => r.settings[j]!)));
  SENSOR_NAMES.forEach((name, j) => (table[name] = rows.map((r) => r.sensors[j]!)));
  return table;
}

export interface CmapssValidationOptions {
  /** Sensors that must not be constant (a stuck sensor in a selected channel breaks normalisation). */
  sensors?: readonly string[];
}

export function cmapssExpectations(options: CmapssValidationOptions = {}): (Expectation | Expectation[])[] {
  return [
    expectColumns(['unit', 'cycle', 'rul', ...SETTING_NAMES, ...SENSOR_NAMES]),
    expectType('unit', 'integer'),
    expectType('cycle', 'integer'),
    expectInRange('unit', { min: 1 }),
    expectInRange('cycle', { min: 1 }),
    expectFinite([...SETTING_NAMES, ...SENSOR_NAMES]),
    expectInRange('rul', { min: 0 }),
    expectMonotonic('cycle', { strict: true, groupBy: 'unit' }),
    expectNoGaps('cycle', { step: 1, tolerance: 0, groupBy: 'unit' }),
    ...(options.sensors ?? []).map((sensor) => expectNotConstant(sensor)),
  ];
}

export function validateCmapss(rows: readonly CmapssRow[], options: CmapssValidationOptions = {}): ValidationReport {
  return validate(cmapssTable(rows), cmapssExpectations(options));
}

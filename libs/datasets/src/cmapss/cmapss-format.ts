/**
 * NASA C-MAPSS text format, shared by all four subsets (FD001–FD004): one row per engine cycle, 26
 * space-separated columns — unit, cycle, 3 operating settings, 21 sensors — with trailing spaces. RUL files hold
 * one integer per test engine, in unit order. Parsing is pure (text in, rows out); `cmapss-files.ts` reads files.
 *
 * @example
 *   const train = parseCmapssRows(text);                 // rows with rul = NaN
 *   withTrainingRul(train);                              // rul = last cycle − cycle
 *   withTestRul(parseCmapssRows(testText), parseRulFile(rulText));
 */

export const CMAPSS_SUBSETS = ['FD001', 'FD002', 'FD003', 'FD004'] as const;
export type CmapssSubset = (typeof CMAPSS_SUBSETS)[number];

export const SETTING_NAMES = ['setting1', 'setting2', 'setting3'] as const;
/** Sensor names as used in the literature: s1 … s21 (T2, T24, T30, … W32 in NASA's readme). */
export const SENSOR_NAMES: readonly string[] = Array.from({ length: 21 }, (_, i) => `s${i + 1}`);
export const CMAPSS_COLUMN_COUNT = 2 + SETTING_NAMES.length + SENSOR_NAMES.length;

/** Number of operating conditions per subset (Saxena et al. 2008): FD002 and FD004 fly six regimes. */
export const CONDITION_COUNT: Readonly<Record<CmapssSubset, number>> = { FD001: 1, FD002: 6, FD003: 1, FD004: 6 };

export interface CmapssRow {
  unit: number;
  cycle: number;
  /** The 3 operating settings. */
  settings: Float64Array;
  /** The 21 sensors, s1 at index 0. */
  sensors: Float64Array;
  /** Remaining useful life in cycles at this row; NaN until withTrainingRul/withTestRul. */
  rul: number;
}

export class CmapssFormatError extends Error {
  override readonly name = 'CmapssFormatError';
}

/** Parses a train_/test_FD00x.txt body. Blank lines are ignored; any other malformed line throws with its number. */
export function parseCmapssRows(text: string): CmapssRow[] {
  const rows: CmapssRow[] = [];
  const lines = text.split(/\r?\n/);
  for (let lineIndex = 0; lineIndex < lines.length; lineIndex++) {
    const line = lines[lineIndex]!.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== CMAPSS_COLUMN_COUNT) {
      throw new CmapssFormatError(`line ${lineIndex + 1}: expected ${CMAPSS_COLUMN_COUNT} columns, got ${fields.length}`);
    }
    const values = new Float64Array(CMAPSS_COLUMN_COUNT);
    for (let column = 0; column < CMAPSS_COLUMN_COUNT; column++) {
      const value = Number(fields[column]);
      if (!Number.isFinite(value)) throw new CmapssFormatError(`line ${lineIndex + 1}: column ${column + 1} is not a number: "${fields[column]}"`);
      values[column] = value;
    }
    const unit = values[0]!;
    const cycle = values[1]!;
    if (!Number.isInteger(unit) || !Number.isInteger(cycle) || unit < 1 || cycle < 1) {
      throw new CmapssFormatError(`line ${lineIndex + 1}: unit and cycle must be positive integers`);
    }
    rows.push({ unit, cycle, settings: values.slice(2, 5), sensors: values.slice(5), rul: Number.NaN });
  }
  return rows;
}

/** Parses RUL_FD00x.txt: one non-negative integer per line, line i for test unit i. */
export function parseRulFile(text: string): number[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, i) => {
      const value = Number(line);
      if (!Number.isInteger(value) || value < 0) throw new CmapssFormatError(`RUL line ${i + 1}: "${line}" is not a non-negative integer`);
      return value;
    });
}

function lastCycleByUnit(rows: readonly CmapssRow[]): Map<number, number> {
  const last = new Map<number, number>();
  for (const row of rows) last.set(row.unit, Math.max(last.get(row.unit) ?? 0, row.cycle));
  return last;
}

/** Training engines run to failure: RUL = last cycle of the unit − cycle. Mutates and returns the rows. */
export function withTrainingRul(rows: CmapssRow[]): CmapssRow[] {
  const last = lastCycleByUnit(rows);
  for (const row of rows) row.rul = last.get(row.unit)! - row.cycle;
  return rows;
}

/**
 * Test engines stop before failure; `finalRul[unit − 1]` is the RUL after their last cycle, so
 * RUL = finalRul + last cycle − cycle. Mutates and returns the rows.
 */
export function withTestRul(rows: CmapssRow[], finalRul: readonly number[]): CmapssRow[] {
  const last = lastCycleByUnit(rows);
  const units = [...last.keys()].sort((a, b) => a - b);
  if (units.length !== finalRul.length) {
    throw new CmapssFormatError(`RUL file has ${finalRul.length} values but the test file has ${units.length} units`);
  }
  const maxUnit = units[units.length - 1] ?? 0;
  if (maxUnit !== units.length) throw new CmapssFormatError(`test units must be numbered 1..${units.length}, found unit ${maxUnit}`);
  for (const row of rows) row.rul = finalRul[row.unit - 1]! + last.get(row.unit)! - row.cycle;
  return rows;
}

/** Rows grouped by unit, each engine's rows sorted by cycle; engines in ascending unit order. */
export function groupByUnit<T extends { unit: number; cycle: number }>(rows: readonly T[]): Map<number, T[]> {
  const byUnit = new Map<number, T[]>();
  for (const row of rows) {
    const list = byUnit.get(row.unit);
    if (list) list.push(row);
    else byUnit.set(row.unit, [row]);
  }
  const sorted = new Map<number, T[]>();
  for (const unit of [...byUnit.keys()].sort((a, b) => a - b))
    sorted.set(
      unit,
      byUnit.get(unit)!.sort((a, b) => a.cycle - b.cycle),
    );
  return sorted;
}

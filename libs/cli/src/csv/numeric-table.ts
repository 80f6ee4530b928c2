/**
 * A user's CSV as a numeric multichannel series: an optional time column (kept as text, passed through to the
 * output), the sensor columns as `[rows][channels]` floats, and a report of what was missing and how it was
 * filled. Non-numeric sensor columns are an error that names the column, the line and the value, unless
 * excluded. Decimal commas (`1,5`) are read when the delimiter is not a comma.
 *
 * Missing values (empty, NA, NaN, null, ?, -, #N/A) are filled from the previous row (forward fill), and leading
 * ones from the first present value (backward fill): a sensor that holds its last reading is the usual plant
 * behaviour. A column with no value at all is an error.
 *
 * @example
 *   const table = readNumericTable(text, { timeColumn: 'timestamp', exclude: ['operator'] });
 *   table.channels;  table.values;  table.missing;   // { column, count, firstLine }[]
 */
import { CsvInputError, type Delimiter, parseDelimited } from './delimited-text';

const MISSING = new Set(['', 'na', 'n/a', '#n/a', 'nan', 'null', 'none', '?', '-']);
const TIME_COLUMN_NAMES = ['time', 'timestamp', 'datetime', 'date', 'ts'];

export interface NumericTableOptions {
  /** Name of the time column; default: a column called time/timestamp/datetime/date/ts if there is one. */
  timeColumn?: string;
  exclude?: readonly string[];
  /** Read only these sensor columns, in this order (scoring with a saved model). Others are ignored. */
  columns?: readonly string[];
}

export interface MissingReport {
  column: string;
  count: number;
  /** 1-based file line of the first missing value. */
  firstLine: number;
}

export interface NumericTable {
  delimiter: Delimiter;
  timeColumn: string | undefined;
  /** Time column text per row, or undefined. */
  time: string[] | undefined;
  channels: string[];
  /** Row-major `[rows][channels]`. */
  values: Float32Array;
  rows: number;
  missing: MissingReport[];
}

function parseNumber(raw: string, decimalComma: boolean): number | undefined {
  const text = raw.trim();
  if (MISSING.has(text.toLowerCase())) return Number.NaN;
  const normalised = decimalComma && /^[+-]?\d*,\d+(e[+-]?\d+)?$/i.test(text) ? text.replace(',', '.') : text;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : undefined;
}

export function readNumericTable(text: string, options: NumericTableOptions = {}): NumericTable {
  const { delimiter, header, rows } = parseDelimited(text);
  if (rows.length === 0) throw new CsvInputError('the file has a header but no data rows');
  const exclude = new Set(options.exclude ?? []);
  for (const name of [...exclude, ...(options.timeColumn ? [options.timeColumn] : []), ...(options.columns ?? [])]) {
    if (!header.includes(name)) throw new CsvInputError(`column "${name}" is not in the file (columns: ${header.join(', ')})`);
  }
  const timeColumn = options.timeColumn ?? header.find((h) => TIME_COLUMN_NAMES.includes(h.toLowerCase()) && !exclude.has(h));
  const channels = options.columns ? [...options.columns] : header.filter((h) => h !== timeColumn && !exclude.has(h));
  if (channels.length === 0) throw new CsvInputError('no sensor columns left after the time column and exclusions');
  const decimalComma = delimiter !== ',';
  const values = new Float32Array(rows.length * channels.length);
  const missing: MissingReport[] = [];
  channels.forEach((name, c) => {
    const column = header.indexOf(name);
    let count = 0;
    let firstLine = 0;
    let firstValue = Number.NaN;
    let last = Number.NaN;
    for (let r = 0; r < rows.length; r++) {
      const raw = rows[r]![column]!;
      const value = parseNumber(raw, decimalComma);
      if (value === undefined) {
        throw new CsvInputError(`column "${name}" is not numeric (line ${r + 2}: "${raw.trim()}"); exclude it with --exclude ${name}`);
      }
      if (Number.isNaN(value)) {
        count++;
        if (firstLine === 0) firstLine = r + 2;
      } else {
        if (Number.isNaN(firstValue)) firstValue = value;
        last = value;
      }
      values[r * channels.length + c] = Number.isNaN(value) ? last : value;
    }
    if (Number.isNaN(firstValue)) throw new CsvInputError(`column "${name}" has no values at all; exclude it with --exclude ${name}`);
    if (count > 0) {
      for (let r = 0; r < rows.length && Number.isNaN(values[r * channels.length + c]!); r++) values[r * channels.length + c] = firstValue;
      missing.push({ column: name, count, firstLine });
    }
  });
  const timeIndex = timeColumn === undefined ? -1 : header.indexOf(timeColumn);
  return {
    delimiter,
    timeColumn,
    time: timeIndex < 0 ? undefined : rows.map((row) => row[timeIndex]!.trim()),
    channels,
    values,
    rows: rows.length,
    missing,
  };
}

/** One line per column with gaps, for the CLI's report. */
export function describeMissing(missing: readonly MissingReport[], rows: number): string[] {
  return missing.map((m) => `${m.column}: ${m.count} of ${rows} values missing (first on line ${m.firstLine}), filled from the previous value`);
}

/**
 * A user's CSV as a numeric multichannel series: an optional time column (kept as text, passed through to the
 * output), an optional label column (0/1, read for evaluation only, never a channel), the sensor columns as
 * `[rows][channels]` floats. Read with the one CSV reader of `@vigil/datasets` (delimiter sniffed from the header).
 * Nothing is coerced silently: a non-numeric cell is an error naming file, line and column; empty, NaN or ±Inf
 * cells follow the `nonFinite` policy (`interpolate` linearly between neighbours and report, `drop` the row
 * and report, or `fail` naming the cell). Decimal commas (`1,5`) are read when the delimiter is not a comma.
 *
 * @example
 *   const table = readNumericTable(text, { source: 'plant.csv', timeColumn: 'timestamp', exclude: ['operator'], nonFinite: 'fail' });
 *   table.channels;  table.values;  table.repairs;
 */
import { CsvFormatError, type Delimiter, readDelimitedTable } from '@vigil/datasets';
import { InputError } from '../cli-errors';

const NON_FINITE = new Set(['', 'na', 'n/a', '#n/a', 'nan', 'null', 'none', 'inf', '+inf', '-inf', 'infinity', '+infinity', '-infinity']);
const TIME_COLUMN_NAMES = ['time', 'timestamp', 'datetime', 'date', 'ts'];
const POSITIVE_LABELS = new Set(['1', '1.0', 'true', 'yes', 'anomaly', 'anomalous', 'abnormal', 'fault']);
const NEGATIVE_LABELS = new Set(['0', '0.0', 'false', 'no', 'normal', 'ok']);

export const NON_FINITE_POLICIES = ['interpolate', 'drop', 'fail'] as const;
export type NonFinitePolicy = (typeof NON_FINITE_POLICIES)[number];

export interface NumericTableOptions {
  /** Shown in error messages (the file path). */
  source?: string;
  delimiter?: Delimiter;
  /** Name of the time column; default: a column called time/timestamp/datetime/date/ts if there is one. */
  timeColumn?: string;
  exclude?: readonly string[];
  /** Read only these sensor columns, in this order (scoring with a saved model). Others are ignored. */
  columns?: readonly string[];
  /** A 0/1 label column: read into `labels`, never a channel. */
  labelColumn?: string;
  nonFinite?: NonFinitePolicy;
}

export interface Repair {
  column: string;
  count: number;
  /** File line of the first repaired cell. */
  firstLine: number;
}

export interface NumericTable {
  delimiter: Delimiter;
  timeColumn: string | undefined;
  time: string[] | undefined;
  channels: string[];
  /** Row-major `[rows][channels]`. */
  values: Float32Array;
  rows: number;
  labels: Uint8Array | undefined;
  /** File line of each kept row. */
  lines: number[];
  /** Cells interpolated (policy `interpolate`) per column. */
  repairs: Repair[];
  /** Rows dropped for non-finite cells (policy `drop`). */
  droppedRows: number;
}

function parseCell(raw: string, decimalComma: boolean): number | undefined {
  const text = raw.trim();
  if (NON_FINITE.has(text.toLowerCase())) return Number.NaN;
  const normalised = decimalComma && /^[+-]?\d*,\d+(e[+-]?\d+)?$/i.test(text) ? text.replace(',', '.') : text;
  if (normalised === '') return undefined;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : undefined;
}

export function readNumericTable(text: string, options: NumericTableOptions = {}): NumericTable {
  const where = options.source ? `${options.source}: ` : '';
  const policy = options.nonFinite ?? 'interpolate';
  let parsed;
  try {
    parsed = readDelimitedTable(text, { delimiter: options.delimiter });
  } catch (error) {
    if (error instanceof CsvFormatError) throw new InputError(`${where}${error.message}`);
    throw error;
  }
  const { delimiter, header, rows, lines } = parsed;
  if (rows.length === 0) throw new InputError(`${where}the file has a header but no data rows`);
  const exclude = new Set(options.exclude ?? []);
  const named = [
    ...exclude,
    ...(options.timeColumn ? [options.timeColumn] : []),
    ...(options.columns ?? []),
    ...(options.labelColumn ? [options.labelColumn] : []),
  ];
  for (const name of named) {
    if (!header.includes(name)) throw new InputError(`${where}column "${name}" is not in the file (columns: ${header.join(', ')})`);
  }
  const timeColumn = options.timeColumn ?? header.find((h) => TIME_COLUMN_NAMES.includes(h.toLowerCase()) && !exclude.has(h));
  const channels = options.columns ? [...options.columns] : header.filter((h) => h !== timeColumn && h !== options.labelColumn && !exclude.has(h));
  if (channels.length === 0) throw new InputError(`${where}no sensor columns left after the time, label and excluded columns`);
  const decimalComma = delimiter !== ',';
  const indices = channels.map((name) => header.indexOf(name));
  const raw = new Float64Array(rows.length * channels.length);
  const bad = new Uint8Array(rows.length);
  const repairs: Repair[] = channels.map((column) => ({ column, count: 0, firstLine: 0 }));
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < channels.length; c++) {
      const cell = rows[r]![indices[c]!]!;
      const value = parseCell(cell, decimalComma);
      if (value === undefined) {
        throw new InputError(
          `${where}line ${lines[r]}, column "${channels[c]}": "${cell.trim()}" is not a number; exclude the column with --exclude ${channels[c]}`,
        );
      }
      if (Number.isNaN(value)) {
        if (policy === 'fail')
          throw new InputError(
            `${where}line ${lines[r]}, column "${channels[c]}": "${cell.trim()}" is not a finite number (--non-finite interpolate or drop handles it)`,
          );
        bad[r] = 1;
        repairs[c]!.count++;
        if (repairs[c]!.firstLine === 0) repairs[c]!.firstLine = lines[r]!;
      }
      raw[r * channels.length + c] = value;
    }
  }
  const keep = policy === 'drop' ? rows.map((_, r) => r).filter((r) => !bad[r]) : rows.map((_, r) => r);
  if (keep.length === 0) throw new InputError(`${where}every row has a non-finite cell; nothing left after --non-finite drop`);
  if (policy === 'interpolate') {
    for (let c = 0; c < channels.length; c++)
      interpolateColumn(
        raw,
        rows.length,
        channels.length,
        c,
        () => new InputError(`${where}column "${channels[c]}" has no finite value at all; exclude it with --exclude ${channels[c]}`),
      );
  }
  const values = new Float32Array(keep.length * channels.length);
  keep.forEach((r, k) => values.set(raw.subarray(r * channels.length, (r + 1) * channels.length), k * channels.length));
  const timeIndex = timeColumn === undefined ? -1 : header.indexOf(timeColumn);
  return {
    delimiter,
    timeColumn,
    time: timeIndex < 0 ? undefined : keep.map((r) => rows[r]![timeIndex]!.trim()),
    channels,
    values,
    rows: keep.length,
    labels: options.labelColumn
      ? readLabels(
          keep.map((r) => rows[r]![header.indexOf(options.labelColumn!)]!),
          keep.map((r) => lines[r]!),
          options.labelColumn,
          where,
        )
      : undefined,
    lines: keep.map((r) => lines[r]!),
    repairs: policy === 'interpolate' ? repairs.filter((m) => m.count > 0) : [],
    droppedRows: rows.length - keep.length,
  };
}

/** Linear interpolation between the finite neighbours; leading/trailing gaps take the nearest finite value. */
function interpolateColumn(data: Float64Array, rows: number, channels: number, c: number, noValue: () => Error): void {
  let previous = -1;
  for (let r = 0; r <= rows; r++) {
    const finite = r < rows && Number.isFinite(data[r * channels + c]!);
    if (r < rows && !finite) continue;
    if (r - previous > 1) {
      if (previous < 0 && r === rows) throw noValue();
      const from = previous < 0 ? data[r * channels + c]! : data[previous * channels + c]!;
      const to = r === rows ? from : data[r * channels + c]!;
      for (let g = previous + 1; g < r; g++) data[g * channels + c] = previous < 0 ? to : from + ((to - from) * (g - previous)) / (r - previous);
    }
    previous = r;
  }
}

function readLabels(cells: string[], lines: number[], column: string, where: string): Uint8Array {
  return Uint8Array.from(cells, (cell, i) => {
    const text = cell.trim().toLowerCase();
    if (POSITIVE_LABELS.has(text)) return 1;
    if (NEGATIVE_LABELS.has(text)) return 0;
    throw new InputError(
      `${where}line ${lines[i]}, label column "${column}": "${cell.trim()}" is neither anomalous (1/true/anomaly) nor normal (0/false/normal)`,
    );
  });
}

/** One line per column with repaired cells, for the CLI's report. */
export function describeRepairs(table: Pick<NumericTable, 'repairs' | 'rows' | 'droppedRows'>): string[] {
  const lines = table.repairs.map(
    (m) => `warning: ${m.column}: ${m.count} of ${table.rows} cells empty, NaN or infinite (first on line ${m.firstLine}), interpolated`,
  );
  if (table.droppedRows > 0) lines.push(`warning: dropped ${table.droppedRows} rows with empty, NaN or infinite cells`);
  return lines;
}

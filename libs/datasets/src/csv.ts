/**
 * The one delimited-text reader of the repository, on csv-parse: RFC 4180 quoting (`""` escapes a quote,
 * newlines inside quotes), CRLF or LF, an optional UTF-8 byte-order mark. `readDelimitedTable` also detects the
 * delimiter by sniffing the header line among `, ; \t |` (plant historians and spreadsheets export all four) and
 * checks the shape: unique header names, the header's field count on every row (the message names the line).
 *
 * @example
 *   const records = parseCsvRecords('a,b\n1,"x, y"\n');                 // [{ a: '1', b: 'x, y' }]
 *   const { delimiter, header, rows } = readDelimitedTable('t;a\n0;1,5\n'); // delimiter ';'
 */
import { CsvError, parse } from 'csv-parse/sync';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
  constructor(
    message: string,
    /** 1-based line of the file where the problem is, when known. */
    readonly line?: number,
  ) {
    super(message);
  }
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

function parseRecords(text: string, delimiter: string, skipEmptyLines: boolean): ParsedRecord[] {
  try {
    return parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: skipEmptyLines, info: true }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const what = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'unterminated quoted field' : error.message;
      throw new CsvFormatError(line ? `line ${line}: ${what}` : what, line);
    }
    throw error;
  }
}

/** Rows of fields of comma-separated text (or another delimiter); a final empty line is not a row. */
export function parseCsv(text: string, delimiter: string = ','): string[][] {
  return parseRecords(text, delimiter, false).map((r) => r.record);
}

/** Records keyed by the header row; every row must have the header's field count. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvFormatError('empty CSV');
  return rows.map((row, i) => {
    if (row.length !== header.length) throw new CsvFormatError(`row ${i + 2}: expected ${header.length} fields, got ${row.length}`, i + 2);
    return Object.fromEntries(header.map((name, j) => [name, row[j]!]));
  });
}

/** Counts a character outside double quotes. */
function countOutsideQuotes(line: string, ch: string): number {
  let inQuotes = false;
  let count = 0;
  for (const c of line) {
    if (c === '"') inQuotes = !inQuotes;
    else if (c === ch && !inQuotes) count++;
  }
  return count;
}

/** The candidate delimiter that occurs most often in the header line (outside quotes). */
export function detectDelimiter(text: string): Delimiter {
  const headerLine =
    text
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)
      .find((l) => l.trim() !== '') ?? '';
  let best: { delimiter: Delimiter; count: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const count = countOutsideQuotes(headerLine, delimiter);
    if (count > 0 && (!best || count > best.count)) best = { delimiter, count };
  }
  if (!best) {
    throw new CsvFormatError(`line 1: the header "${headerLine.slice(0, 80)}" has no delimiter: expected one of , ; tab | between column names`, 1);
  }
  return best.delimiter;
}

export interface DelimitedTable {
  delimiter: Delimiter;
  /** Trimmed column names. */
  header: string[];
  rows: string[][];
  /** 1-based file line of each row (blank lines are skipped, so lines and row indices can differ). */
  lines: number[];
}

/** A header and rows of the same width; blank lines are skipped. Detects the delimiter unless given. */
export function readDelimitedTable(text: string, options: { delimiter?: Delimiter } = {}): DelimitedTable {
  const delimiter = options.delimiter ?? detectDelimiter(text);
  const [first, ...records] = parseRecords(text, delimiter, true);
  if (!first) throw new CsvFormatError('the file is empty');
  const header = first.record.map((h) => h.trim());
  if (header.length < 2) {
    throw new CsvFormatError(
      `line 1: the header splits into one column with delimiter "${delimiter === '\t' ? '\\t' : delimiter}": is the file separated by another one of , ; tab |?`,
      1,
    );
  }
  const duplicate = header.find((n, i) => header.indexOf(n) !== i);
  if (duplicate !== undefined) throw new CsvFormatError(`line 1: column "${duplicate}" appears twice in the header`, 1);
  for (const { record, info } of records) {
    if (record.length !== header.length) {
      throw new CsvFormatError(
        `line ${info.lines}: expected ${header.length} fields separated by "${delimiter === '\t' ? '\\t' : delimiter}", got ${record.length}`,
        info.lines,
      );
    }
  }
  return { delimiter, header, rows: records.map((r) => r.record), lines: records.map((r) => r.info.lines) };
}

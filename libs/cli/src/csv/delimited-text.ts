/**
 * Delimited text as users export it from plant historians and spreadsheets: `,` `;` tab or `|` separated,
 * fields optionally double-quoted (`""` escapes a quote), CRLF or LF, an optional UTF-8 byte-order mark.
 * The delimiter is detected: the candidate that splits the first lines into the same number (> 1) of fields.
 *
 * @example
 *   const { header, rows, delimiter } = parseDelimited('time;a;b\n0;1,5;2\n');   // delimiter ';'
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

export class CsvInputError extends Error {
  override readonly name = 'CsvInputError';
}

/** Splits text into rows of fields with a known delimiter. Blank lines are skipped. */
export function splitDelimited(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let rowHasContent = false;
  const endRow = () => {
    row.push(field);
    if (rowHasContent || row.length > 1 || field !== '') rows.push(row);
    row = [];
    field = '';
    rowHasContent = false;
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      inQuotes = true;
      field = '';
      rowHasContent = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      rowHasContent = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
    } else {
      field += ch;
      rowHasContent = true;
    }
  }
  if (inQuotes) throw new CsvInputError('unterminated quoted field');
  if (rowHasContent || field !== '') endRow();
  return rows;
}

/** The delimiter whose split of the first lines is consistent and widest. */
export function detectDelimiter(text: string, sampleLines = 20): Delimiter {
  const sample = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, sampleLines).join('\n');
  let best: { delimiter: Delimiter; fields: number } | undefined;
  for (const delimiter of DELIMITERS) {
    let rows: string[][];
    try {
      rows = splitDelimited(sample, delimiter);
    } catch {
      continue;
    }
    const counts = new Set(rows.map((r) => r.length));
    const fields = rows[0]?.length ?? 0;
    if (counts.size === 1 && fields > 1 && (!best || fields > best.fields)) best = { delimiter, fields };
  }
  if (!best) throw new CsvInputError(`could not detect the delimiter: no one of , ; tab | splits the first lines into the same number of fields`);
  return best.delimiter;
}

export interface DelimitedTable {
  delimiter: Delimiter;
  header: string[];
  rows: string[][];
}

export function parseDelimited(text: string, delimiter: Delimiter = detectDelimiter(text)): DelimitedTable {
  const [header, ...rows] = splitDelimited(text, delimiter);
  if (!header) throw new CsvInputError('the file is empty');
  const names = header.map((h) => h.trim());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new CsvInputError(`column "${duplicate}" appears twice in the header`);
  rows.forEach((row, i) => {
    if (row.length !== names.length) throw new CsvInputError(`line ${i + 2}: expected ${names.length} fields, got ${row.length}`);
  });
  return { delimiter, header: names, rows };
}

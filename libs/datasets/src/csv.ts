/**
 * RFC 4180 CSV: comma-separated, fields optionally double-quoted, `""` for a quote inside quotes, CRLF or LF.
 * Enough for the data sets' index files; not a streaming parser.
 *
 * @example
 *   const records = parseCsvRecords('a,b\n1,"x, y"\n');    // [{ a: '1', b: 'x, y' }]
 */

export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

/** Rows of fields; a final empty line is not a row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let fieldStarted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else field += ch;
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      fieldStarted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new CsvFormatError('unterminated quoted field');
  if (fieldStarted || field !== '') {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Records keyed by the header row; every row must have the header's field count. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvFormatError('empty CSV');
  return rows.map((row, i) => {
    if (row.length !== header.length) throw new CsvFormatError(`row ${i + 2}: expected ${header.length} fields, got ${row.length}`);
    return Object.fromEntries(header.map((name, j) => [name, row[j]!]));
  });
}

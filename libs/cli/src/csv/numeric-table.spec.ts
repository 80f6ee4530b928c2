import { describe, expect, it } from 'vitest';
import { CsvInputError, detectDelimiter, parseDelimited } from './delimited-text';
import { readNumericTable } from './numeric-table';

describe('detectDelimiter', () => {
  it.each([
    ['a,b,c\n1,2,3\n', ','],
    ['a;b;c\n1,5;2;3\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b\n1|2\n', '|'],
    ['"x,y";b\n"1,2";3\n', ';'],
  ])('%j → %j', (text, expected) => {
    expect(detectDelimiter(text)).toBe(expected);
  });

  it('fails when nothing splits the lines consistently', () => {
    expect(() => detectDelimiter('just one column\nvalue\n')).toThrow(CsvInputError);
  });
});

describe('parseDelimited', () => {
  it('handles BOM, quotes, CRLF and blank lines', () => {
    const table = parseDelimited('\ufefftime,"note, quoted"\r\n1,"he said ""hi"""\r\n\r\n2,x\r\n');
    expect(table.header).toEqual(['time', 'note, quoted']);
    expect(table.rows).toEqual([
      ['1', 'he said "hi"'],
      ['2', 'x'],
    ]);
  });

  it('names the line with the wrong field count and duplicate headers', () => {
    expect(() => parseDelimited('a,b\n1,2\n3\n', ',')).toThrow(/line 3: expected 2 fields, got 1/);
    expect(() => parseDelimited('a,a\n1,2\n')).toThrow(/"a" appears twice/);
  });
});

describe('readNumericTable', () => {
  it('finds the time column, reads decimal commas and fills gaps', () => {
    const table = readNumericTable('Timestamp;p;t\n2024-01-01 00:00;1,5;NA\n2024-01-01 00:01;;20\n2024-01-01 00:02;2;21\n');
    expect(table.timeColumn).toBe('Timestamp');
    expect(table.time).toEqual(['2024-01-01 00:00', '2024-01-01 00:01', '2024-01-01 00:02']);
    expect(table.channels).toEqual(['p', 't']);
    expect(Array.from(table.values)).toEqual([1.5, 20, 1.5, 20, 2, 21]);
    expect(table.missing).toEqual([
      { column: 'p', count: 1, firstLine: 3 },
      { column: 't', count: 1, firstLine: 2 },
    ]);
  });

  it('rejects a non-numeric column unless it is excluded', () => {
    const text = 'time,p,state\n0,1,RUN\n1,2,STOP\n';
    expect(() => readNumericTable(text)).toThrow(/column "state" is not numeric \(line 2: "RUN"\); exclude it with --exclude state/);
    expect(readNumericTable(text, { exclude: ['state'] }).channels).toEqual(['p']);
  });

  it('rejects columns that are all missing, unknown names, and files without rows', () => {
    expect(() => readNumericTable('a,b\n1,\n2,NaN\n')).toThrow(/"b" has no values/);
    expect(() => readNumericTable('a,b\n1,2\n', { timeColumn: 'when' })).toThrow(/"when" is not in the file/);
    expect(() => readNumericTable('a,b\n')).toThrow(/no data rows/);
  });

  it('reads only the requested columns, in the requested order', () => {
    const table = readNumericTable('t,a,b,label\n0,1,2,x\n1,3,4,y\n', { timeColumn: 't', columns: ['b', 'a'] });
    expect(Array.from(table.values)).toEqual([2, 1, 4, 3]);
  });
});

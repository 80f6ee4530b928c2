import { describe, expect, it } from 'vitest';
import { CsvFormatError, detectDelimiter, parseCsv, parseCsvRecords, readDelimitedTable } from './csv';

describe('parseCsv', () => {
  it.each([
    [
      'plain fields',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    ['a quoted comma', 'a,"x, y"\n', [['a', 'x, y']]],
    ['an escaped quote', '"say ""hi""",2', [['say "hi"', '2']]],
    [
      'CRLF and empty fields',
      'a,,c\r\n,,\r\n',
      [
        ['a', '', 'c'],
        ['', '', ''],
      ],
    ],
    ['a newline inside quotes', '"l1\nl2",x\n', [['l1\nl2', 'x']]],
  ])('handles %s', (_name, text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it('rejects an unterminated quote and ragged records', () => {
    expect(() => parseCsv('"open,1\n')).toThrow(CsvFormatError);
    expect(() => parseCsv('"open,1\n')).toThrow(/unterminated quoted field/);
    expect(() => parseCsvRecords('a,b\n1\n')).toThrow(/row 2: expected 2 fields, got 1/);
    expect(parseCsvRecords('a,b\n1,2\n')).toEqual([{ a: '1', b: '2' }]);
  });
});

describe('detectDelimiter', () => {
  it.each([
    [',', 'time,a,b\n'],
    [';', '\uFEFFdatetime;Volume Flow RateRMS;anomaly\n0;1,5;0\n'],
    ['\t', 'time\ta\tb\n'],
    ['|', 'time|a|b\n'],
    [';', '"a,b";c;d\n'],
  ])('finds "%s"', (delimiter, text) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });

  it('names the header when it has no delimiter', () => {
    expect(() => detectDelimiter('time a b\n1 2 3\n')).toThrow(/line 1: the header "time a b" has no delimiter/);
  });
});

describe('readDelimitedTable', () => {
  it('reads a ;-separated file with a BOM, CRLF and blank lines, keeping file lines', () => {
    const table = readDelimitedTable('\uFEFF t ;a\r\n0;1,5\r\n\r\n1;2\r\n');
    expect(table).toEqual({
      delimiter: ';',
      header: ['t', 'a'],
      rows: [
        ['0', '1,5'],
        ['1', '2'],
      ],
      lines: [2, 4],
    });
  });

  it.each([
    ['a ragged line, named', 't,a\n0,1\n1,2,3\n', /line 3: expected 2 fields separated by ",", got 3/],
    ['a duplicate column', 't,a,a\n0,1,2\n', /column "a" appears twice/],
    ['an empty file', '', /no delimiter|empty/],
    ['the wrong delimiter forced', 't;a\n0;1\n', /one column with delimiter ","/],
  ])('rejects %s', (_name, text, message) => {
    const options = _name === 'the wrong delimiter forced' ? { delimiter: ',' as const } : {};
    expect(() => readDelimitedTable(text, options)).toThrow(message);
  });
});

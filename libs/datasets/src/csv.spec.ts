import { describe, expect, it } from 'vitest';
import { CsvFormatError, parseCsv, parseCsvRecords } from './csv';

describe('parseCsv', () => {
  it.each([
    ['plain fields', 'a,b\n1,2\n', [['a', 'b'], ['1', '2']]],
    ['a quoted comma', 'a,"x, y"\n', [['a', 'x, y']]],
    ['an escaped quote', '"say ""hi""",2', [['say "hi"', '2']]],
    ['CRLF and empty fields', 'a,,c\r\n,,\r\n', [['a', '', 'c'], ['', '', '']]],
    ['a newline inside quotes', '"l1\nl2",x\n', [['l1\nl2', 'x']]],
  ])('handles %s', (_name, text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it('rejects an unterminated quote and ragged records', () => {
    expect(() => parseCsv('"open,1\n')).toThrow(CsvFormatError);
    expect(() => parseCsvRecords('a,b\n1\n')).toThrow(/row 2: expected 2 fields, got 1/);
    expect(parseCsvRecords('a,b\n1,2\n')).toEqual([{ a: '1', b: '2' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { CmapssFormatError, groupByUnit, parseCmapssRows, parseRulFile, withTestRul, withTrainingRul } from './cmapss-format';

const line = (unit: number, cycle: number, first = 518.67) =>
  `${unit} ${cycle} -0.0007 -0.0004 100.0 ${first} ${Array.from({ length: 20 }, (_, i) => (i + 1).toFixed(2)).join(' ')}  `;

describe('parseCmapssRows', () => {
  it('reads the 26 columns of NASA lines, trailing spaces and CRLF included', () => {
    const rows = parseCmapssRows(`${line(1, 1)}\r\n${line(1, 2, 519)}\r\n\r\n`);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.unit).toBe(1);
    expect(rows[1]!.cycle).toBe(2);
    expect(Array.from(rows[0]!.settings)).toEqual([-0.0007, -0.0004, 100]);
    expect(rows[0]!.sensors).toHaveLength(21);
    expect(rows[1]!.sensors[0]).toBe(519);
    expect(rows[0]!.sensors[20]).toBe(20);
    expect(rows[0]!.rul).toBeNaN();
  });

  it.each([
    ['a missing column', '1 1 0 0 100 ' + '1 '.repeat(20), /line 1: expected 26 columns, got 25/],
    ['a non-number', line(1, 1).replace('518.67', 'abc'), /column 6 is not a number/],
    ['a fractional cycle', line(1, 1).replace(/^1 1/, '1 1.5'), /positive integers/],
  ])('rejects %s with the line number', (_name, text, message) => {
    expect(() => parseCmapssRows(text)).toThrow(CmapssFormatError);
    expect(() => parseCmapssRows(text)).toThrow(message);
  });
});

describe('RUL', () => {
  it('training RUL counts down to 0 at each engine’s last cycle', () => {
    const rows = withTrainingRul(parseCmapssRows([line(1, 1), line(1, 2), line(1, 3), line(2, 1), line(2, 2)].join('\n')));
    expect(rows.map((r) => r.rul)).toEqual([2, 1, 0, 1, 0]);
  });

  it('test RUL adds the RUL file value after each engine’s last cycle', () => {
    const rows = parseCmapssRows([line(2, 1), line(1, 1), line(1, 2)].join('\n'));
    withTestRul(rows, parseRulFile('10 \n 4\n'));
    expect(rows.map((r) => [r.unit, r.cycle, r.rul])).toEqual([
      [2, 1, 4],
      [1, 1, 11],
      [1, 2, 10],
    ]);
  });

  it('refuses a RUL file whose length does not match the units', () => {
    expect(() => withTestRul(parseCmapssRows(line(1, 1)), [3, 4])).toThrow(/2 values but the test file has 1 units/);
    expect(() => parseRulFile('12\n-1\n')).toThrow(/RUL line 2/);
  });

  it('groupByUnit sorts engines and cycles', () => {
    const groups = groupByUnit(parseCmapssRows([line(2, 2), line(1, 1), line(2, 1)].join('\n')));
    expect([...groups.keys()]).toEqual([1, 2]);
    expect(groups.get(2)!.map((r) => r.cycle)).toEqual([1, 2]);
  });
});

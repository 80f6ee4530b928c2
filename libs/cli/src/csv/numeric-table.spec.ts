import { describe, expect, it } from 'vitest';
import { InputError } from '../cli-errors';
import { readNumericTable } from './numeric-table';

describe('readNumericTable', () => {
  it('finds the time column, reads decimal commas and interpolates gaps, reporting them', () => {
    const table = readNumericTable('Timestamp;p;t\n2024-01-01 00:00;1,5;NA\n2024-01-01 00:01;;20\n2024-01-01 00:02;2;inf\n2024-01-01 00:03;3;22\n');
    expect(table.timeColumn).toBe('Timestamp');
    expect(table.time).toEqual(['2024-01-01 00:00', '2024-01-01 00:01', '2024-01-01 00:02', '2024-01-01 00:03']);
    expect(table.channels).toEqual(['p', 't']);
    expect(Array.from(table.values)).toEqual([1.5, 20, 1.75, 20, 2, 21, 3, 22]);
    expect(table.repairs).toEqual([
      { column: 'p', count: 1, firstLine: 3 },
      { column: 't', count: 2, firstLine: 2 },
    ]);
  });

  it('drops rows with non-finite cells, or fails naming the cell, as the policy says', () => {
    const text = 'time,p\n0,1\n1,NaN\n2,3\n';
    const dropped = readNumericTable(text, { nonFinite: 'drop' });
    expect([dropped.rows, dropped.droppedRows, dropped.lines]).toEqual([2, 1, [2, 4]]);
    expect(() => readNumericTable(text, { source: 'x.csv', nonFinite: 'fail' })).toThrow(/x.csv: line 3, column "p": "NaN" is not a finite number/);
  });

  it('names file, line and column of a non-numeric cell, unless the column is excluded', () => {
    const text = 'time,p,state\n0,1,RUN\n1,2,STOP\n';
    expect(() => readNumericTable(text, { source: 'plant.csv' })).toThrow(
      /plant.csv: line 2, column "state": "RUN" is not a number; exclude the column with --exclude state/,
    );
    expect(readNumericTable(text, { exclude: ['state'] }).channels).toEqual(['p']);
  });

  it('rejects the wrong delimiter, columns with no value, unknown names and files without rows', () => {
    expect(() => readNumericTable('time a b\n1 2 3\n')).toThrow(InputError);
    expect(() => readNumericTable('time a b\n1 2 3\n')).toThrow(/has no delimiter/);
    expect(() => readNumericTable('a,b\n1,\n2,NaN\n')).toThrow(/"b" has no finite value/);
    expect(() => readNumericTable('a,b\n1,2\n', { timeColumn: 'when' })).toThrow(/column "when" is not in the file \(columns: a, b\)/);
    expect(() => readNumericTable('a,b\n')).toThrow(/no data rows/);
  });

  it('reads a label column apart from the channels, and only the requested columns in order', () => {
    const table = readNumericTable('t,a,b,label\n0,1,2,0.0\n1,3,4,1.0\n', { timeColumn: 't', columns: ['b', 'a'], labelColumn: 'label' });
    expect(Array.from(table.values)).toEqual([2, 1, 4, 3]);
    expect(Array.from(table.labels!)).toEqual([0, 1]);
    expect(readNumericTable('time,a,label\n0,1,0\n', { labelColumn: 'label' }).channels).toEqual(['a']);
    expect(() => readNumericTable('t,a,label\n0,1,maybe\n', { labelColumn: 'label' })).toThrow(/line 2, label column "label": "maybe"/);
  });
});

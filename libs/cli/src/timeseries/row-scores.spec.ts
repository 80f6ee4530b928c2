import { describe, expect, it } from 'vitest';
import { rowScores, scoresCsv } from './row-scores';

describe('rowScores', () => {
  it('gives rows before the first full window the first window score', () => {
    expect(Array.from(rowScores(Float32Array.of(0.25, 0.75), 3))).toEqual([0.25, 0.25, 0.25, 0.75]);
  });
});

describe('scoresCsv', () => {
  it('writes time, score, threshold and is_anomaly per row', () => {
    const csv = scoresCsv(Float32Array.of(0.5, 2), 1, { name: 'time', values: ['a,1', 'b'] });
    expect(csv).toBe('time,score,threshold,is_anomaly\n"a,1",0.500000,1.00000,0\nb,2.00000,1.00000,1\n');
    expect(scoresCsv(Float32Array.of(0.5), 1, undefined).split('\n')[1]).toBe('1,0.500000,1.00000,0');
  });
});

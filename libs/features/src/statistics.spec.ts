import { describe, expect, it } from 'vitest';
import { loadFixture } from './fixture';
import { channelStatistics, windowStatistics, type WindowStatistics } from './statistics';

interface StatisticsFixture {
  cases: { name: string; x: number[]; expected: WindowStatistics }[];
}
const fixture = loadFixture<StatisticsFixture>('statistics');

describe('windowStatistics matches numpy / scipy.stats', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const actual = windowStatistics(c.x);
    for (const key of Object.keys(c.expected) as (keyof WindowStatistics)[]) {
      expect(actual[key], key).toBeCloseTo(c.expected[key], 9);
    }
  });

  it('gives NaN shape statistics for a constant window and NaN crest factor for silence', () => {
    const constant = windowStatistics([3, 3, 3, 3]);
    expect(constant).toMatchObject({ mean: 3, std: 0, rms: 3, peakToPeak: 0, crestFactor: 1 });
    expect(constant.skewness).toBeNaN();
    expect(constant.kurtosis).toBeNaN();
    expect(windowStatistics([0, 0]).crestFactor).toBeNaN();
    expect(() => windowStatistics([])).toThrow(/empty/);
  });

  it('channelStatistics reads each channel of a [steps][channels] window', () => {
    const [a, b] = channelStatistics([1, 10, 2, 20, 3, 30], 3, 2);
    expect([a!.mean, b!.mean, b!.max]).toEqual([2, 20, 30]);
    expect(() => channelStatistics([1, 2, 3], 2, 2)).toThrow(/expected 2×2/);
  });
});

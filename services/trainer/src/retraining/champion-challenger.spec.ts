import { seededRandom } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { decidePromotion, judge } from './champion-challenger';

const normal = (seed: number, count: number, mean: number, std = 1) => {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => random.normal(mean, std));
};

describe('decidePromotion', () => {
  it('promotes a challenger that fits the new regime the champion alarms on', () => {
    // Champion calibrated on the old regime (scores ~N(10,1)); on the new regime its scores sit at ~13.
    const champion = { calibration: normal(1, 500, 10), heldOut: normal(2, 300, 13) };
    // Challenger calibrated on and scoring the new regime alike (its own scale).
    const challenger = { calibration: normal(3, 500, 4), heldOut: normal(4, 300, 4) };
    const decision = decidePromotion({ champion, challenger, minImprovement: 0.02 });
    expect(decision.promote).toBe(true);
    expect(decision.champion!.falseAlarmRate).toBeGreaterThan(0.5);
    expect(decision.challenger.falseAlarmRate).toBeLessThan(0.05);
  });

  it('keeps the champion when the challenger is worse, or not better by the margin', () => {
    const champion = { calibration: normal(5, 500, 10), heldOut: normal(6, 300, 10) };
    const worse = { calibration: normal(7, 500, 4), heldOut: normal(8, 300, 6) };
    const same = { calibration: normal(9, 500, 4), heldOut: normal(10, 300, 4) };
    expect(decidePromotion({ champion, challenger: worse, minImprovement: 0.02 })).toMatchObject({
      promote: false,
      reason: expect.stringMatching(/^not better/),
    });
    expect(decidePromotion({ champion, challenger: same, minImprovement: 0.02 }).promote).toBe(false);
  });

  it('promotes the first model when there is no champion', () => {
    expect(decidePromotion({ champion: null, challenger: { calibration: [1, 2, 3], heldOut: [1, 2] }, minImprovement: 0.5 })).toMatchObject({
      promote: true,
      champion: null,
    });
  });

  it('judges against the calibration quantile, linear like numpy', () => {
    expect(judge({ calibration: [0, 1, 2, 3, 4], heldOut: [3.9, 3.97, 5] }, 0.99)).toEqual({
      threshold: 3.96,
      falseAlarmRate: 2 / 3,
      meanScore: (3.9 + 3.97 + 5) / 3,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { fitTrackedSpread, trackedDeviations } from './level-tracker';

const tracking = { span: 5, tau: 50, freezeAt: 3 };
/** Two channels: 0 drifts slowly (a warming temperature), 1 is flat with a step fault at rows 600–899. */
function plant(rows: number): Float32Array {
  const out = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    out[r * 2] = r / 100 + 0.3 * Math.sin(r);
    out[r * 2 + 1] = 0.3 * Math.cos(1.7 * r) + (r >= 600 && r < 900 ? 4 : 0);
  }
  return out;
}

describe('trackedDeviations', () => {
  const data = plant(1200);
  const spread = fitTrackedSpread([data.subarray(0, 400 * 2)], 2, tracking, 0.05);
  const deviations = trackedDeviations(data, 2, tracking, spread);
  const at = (r: number, c: number) => Math.abs(deviations[r * 2 + c]!) / spread[c]!;

  it('follows slow drift: the drifting channel stays within a few spreads long after training', () => {
    for (const r of [500, 800, 1100]) expect(at(r, 0)).toBeLessThan(3);
  });

  it('keeps a sustained fault anomalous to its end (the gated baseline does not learn it)', () => {
    for (const r of [620, 750, 890]) expect(at(r, 1)).toBeGreaterThan(5);
  });

  it('is quiet again once the fault ends, and the fault does not disturb the other channel', () => {
    expect(at(950, 1)).toBeLessThan(3);
    expect(at(950, 0)).toBeLessThan(3);
  });

  it('without gating, the baseline absorbs the fault', () => {
    const ungated = trackedDeviations(data, 2, tracking);
    expect(Math.abs(ungated[890 * 2 + 1]!) / spread[1]!).toBeLessThan(1);
  });
});

describe('trackedDeviations with a freeze limit', () => {
  /** Channel 0: a 300-row fault (rows 600–899); channel 1: a normal level shift at row 500 that never returns. */
  function shifts(rows: number): Float32Array {
    const out = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) {
      out[r * 2] = 0.3 * Math.sin(r) + (r >= 600 && r < 900 ? 4 : 0);
      out[r * 2 + 1] = 0.3 * Math.cos(1.7 * r) + (r >= 500 ? 4 : 0);
    }
    return out;
  }
  const data = shifts(1400);
  const limited = { ...tracking, maxFreeze: 400 };
  const spread = fitTrackedSpread([data.subarray(0, 400 * 2)], 2, limited, 0.05);
  const at = (deviations: Float64Array, r: number, c: number) => Math.abs(deviations[r * 2 + c]!) / spread[c]!;

  it('learns a level that stays away longer than the limit as the new normal; without a limit it never does', () => {
    const deviations = trackedDeviations(data, 2, limited, spread);
    expect(at(deviations, 880, 1)).toBeGreaterThan(5);
    for (const r of [1200, 1399]) expect(at(deviations, r, 1)).toBeLessThan(3);
    const unlimited = trackedDeviations(data, 2, tracking, spread);
    expect(at(unlimited, 1399, 1)).toBeGreaterThan(5);
  });

  it('keeps a fault shorter than the limit anomalous to its end, and quiet after it', () => {
    const deviations = trackedDeviations(data, 2, limited, spread);
    for (const r of [620, 750, 890]) expect(at(deviations, r, 0)).toBeGreaterThan(5);
    expect(at(deviations, 950, 0)).toBeLessThan(3);
  });
});

describe('trackedDeviations past the freeze limit', () => {
  /** One channel with a 600-row fault (rows 500–1099), longer than the limit. */
  const data = Float32Array.from({ length: 1600 }, (_, r) => 0.3 * Math.sin(r) + (r >= 500 && r < 1100 ? 4 : 0));
  const limited = { ...tracking, maxFreeze: 200 };
  const spread = fitTrackedSpread([data.subarray(0, 400)], 1, limited, 0.05);
  const deviations = trackedDeviations(data, 1, limited, spread);
  const at = (r: number) => Math.abs(deviations[r]!) / spread[0]!;

  it('holds the fault up to the limit, then learns it as the level', () => {
    for (const r of [520, 690]) expect(at(r)).toBeGreaterThan(5);
    expect(at(1050)).toBeLessThan(3);
  });

  it('snaps back to the remembered normal level when the fault ends, without a second alarm', () => {
    for (const r of [1130, 1200, 1500]) expect(at(r)).toBeLessThan(3);
  });
});

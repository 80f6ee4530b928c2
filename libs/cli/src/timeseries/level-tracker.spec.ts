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

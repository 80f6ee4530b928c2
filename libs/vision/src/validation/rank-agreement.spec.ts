import { describe, expect, it } from 'vitest';
import { rankAgreement } from './rank-agreement';

describe('rankAgreement', () => {
  it('is +1 with every pair ordered alike when validation ranks as test does', () => {
    const r = rankAgreement([
      [0.9, 0.8],
      [0.95, 0.85],
      [0.99, 0.9],
    ]);
    expect(r.spearman).toBeCloseTo(1, 9);
    expect(r).toMatchObject({ agreeing: 3, pairs: 3 });
  });

  it('is −1 when the order is reversed, and leaves out pairs closer than the margin', () => {
    const r = rankAgreement([
      [0.96, 0.95],
      [0.98, 0.94],
      [0.981, 0.93],
    ]);
    expect(r.spearman).toBeCloseTo(-1, 9);
    // (0.98, 0.981) differ by 0.001 on validation: not counted.
    expect(r).toMatchObject({ agreeing: 0, pairs: 2 });
  });
});

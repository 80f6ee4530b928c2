import { describe, expect, it } from 'vitest';
import { naturalCubicSpline } from './cubic-spline';

describe('naturalCubicSpline', () => {
  it('passes through every knot', () => {
    const xs = [0, 1, 2.5, 4, 7];
    const ys = [1, -2, 0.5, 3, 1];
    const spline = naturalCubicSpline(xs, ys);
    xs.forEach((x, i) => expect(spline(x)).toBeCloseTo(ys[i]!, 12));
  });

  it('reproduces a straight line exactly and has zero curvature at the ends', () => {
    const line = naturalCubicSpline([0, 2, 3, 6], [1, 5, 7, 13]);
    for (const x of [0.5, 2.7, 5.9]) expect(line(x)).toBeCloseTo(1 + 2 * x, 12);
    const curve = naturalCubicSpline([0, 1, 2, 3], [0, 1, 0, 1]);
    const second = (x: number, e = 1e-4) => (curve(x + e) - 2 * curve(x) + curve(x - e)) / (e * e);
    expect(Math.abs(second(1e-4))).toBeLessThan(1e-2);
  });

  it('matches scipy.interpolate.CubicSpline(bc_type="natural") at a midpoint', () => {
    // CubicSpline([0, 1, 2], [0, 1, 0], bc_type='natural')(0.5) = 0.6875
    expect(naturalCubicSpline([0, 1, 2], [0, 1, 0])(0.5)).toBeCloseTo(0.6875, 12);
  });

  it('rejects too few or unordered knots', () => {
    expect(() => naturalCubicSpline([0], [1])).toThrow(/two knots/);
    expect(() => naturalCubicSpline([0, 0], [1, 2])).toThrow(/increase/);
  });
});

/**
 * Natural cubic spline interpolation (second derivative 0 at both ends), solved with the Thomas algorithm.
 * Used to draw smooth random curves through a few knots for magnitude and time warping.
 *
 * @example
 *   const curve = naturalCubicSpline([0, 10, 20], [1, 1.2, 0.9]);
 *   curve(5);                                 // smooth value between the knots
 */

export function naturalCubicSpline(xs: readonly number[], ys: readonly number[]): (x: number) => number {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError('knot x and y lengths differ');
  if (n < 2) throw new RangeError('a spline needs at least two knots');
  for (let i = 1; i < n; i++) if (!(xs[i]! > xs[i - 1]!)) throw new RangeError('knot positions must increase strictly');
  const h = Array.from({ length: n - 1 }, (_, i) => xs[i + 1]! - xs[i]!);
  // Second derivatives M_i: M_0 = M_{n-1} = 0, tridiagonal system for the interior.
  const m = new Float64Array(n);
  if (n > 2) {
    const size = n - 2;
    const diag = new Float64Array(size);
    const rhs = new Float64Array(size);
    for (let i = 1; i < n - 1; i++) {
      diag[i - 1] = 2 * (h[i - 1]! + h[i]!);
      rhs[i - 1] = 6 * ((ys[i + 1]! - ys[i]!) / h[i]! - (ys[i]! - ys[i - 1]!) / h[i - 1]!);
    }
    for (let i = 1; i < size; i++) {
      const w = h[i]! / diag[i - 1]!;
      diag[i]! -= w * h[i]!;
      rhs[i]! -= w * rhs[i - 1]!;
    }
    m[size] = rhs[size - 1]! / diag[size - 1]!;
    for (let i = size - 2; i >= 0; i--) m[i + 1] = (rhs[i]! - h[i + 1]! * m[i + 2]!) / diag[i]!;
  }
  return (x: number) => {
    let i = 0;
    while (i < n - 2 && x > xs[i + 1]!) i++; // knots are few; a linear scan is simplest
    const a = xs[i + 1]! - x;
    const b = x - xs[i]!;
    const hi = h[i]!;
    return (m[i]! * a ** 3 + m[i + 1]! * b ** 3) / (6 * hi) + (ys[i]! / hi - (m[i]! * hi) / 6) * a + (ys[i + 1]! / hi - (m[i + 1]! * hi) / 6) * b;
  };
}

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@vigil/features';
import { symmetricEigen, topAxes } from './principal-axes';

function randomCovariance(n: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const x = Float64Array.from({ length: n * 2 * n }, () => random() - 0.5);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < 2 * n; r++) cov[i * n + j]! += x[r * n + i]! * x[r * n + j]! * Math.sqrt((1 + i) * (1 + j));
  return cov;
}

describe('symmetricEigen', () => {
  it('reconstructs A·v = λ·v with orthonormal vectors, values descending', () => {
    const n = 12;
    const cov = randomCovariance(n, 4);
    const { values, vectors } = symmetricEigen(cov, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]!);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += cov[i * n + j]! * vectors[j * n + k]!;
        expect(av).toBeCloseTo(values[k]! * vectors[i * n + k]!, 8);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + k]! * vectors[i * n + m]!;
        expect(dot).toBeCloseTo(k === m ? 1 : 0, 10);
      }
    }
  });

  it('finds the known axes of a diagonal matrix', () => {
    const { values } = symmetricEigen([1, 0, 0, 0, 5, 0, 0, 0, 3], 3);
    expect(Array.from(values)).toEqual([5, 3, 1]);
  });
});

describe('topAxes', () => {
  it('keeps the leading axes with a deterministic sign', () => {
    const cov = randomCovariance(8, 9);
    const a = topAxes(cov, 8, 3);
    expect(a).toEqual(topAxes(Float64Array.from(cov), 8, 3));
    for (let k = 0; k < 3; k++) {
      const column = Array.from({ length: 8 }, (_, i) => a[i * 3 + k]!);
      const big = column.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      expect(big).toBeGreaterThan(0);
    }
    expect(() => topAxes(cov, 8, 9)).toThrow(/cannot keep/);
  });
});

import { describe, expect, it } from 'vitest';
import { NotPositiveDefiniteError, whiteningMatrix } from './cholesky';

describe('whiteningMatrix', () => {
  it('gives W with W·Σ·Wᵀ = I', () => {
    const n = 4;
    const a = [2, 0.5, 0.1, 0, 0.3, 1.5, 0.2, 0.1, 0, 0.4, 1, 0.3, 0.2, 0, 0.1, 0.8];
    const cov = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) cov[i * n + j]! += a[i * n + k]! * a[j * n + k]!;
    const w = whiteningMatrix(cov, n, 0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let v = 0;
        for (let p = 0; p < n; p++) for (let q = 0; q < n; q++) v += w[i * n + p]! * cov[p * n + q]! * w[j * n + q]!;
        expect(v).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
  });

  it('names a singular covariance', () => {
    expect(() => whiteningMatrix(new Float64Array([1, 1, 1, 1]), 2, 0)).toThrow(NotPositiveDefiniteError);
    expect(() => whiteningMatrix(new Float64Array([1, 1, 1, 1]), 2, 0.01)).not.toThrow();
  });
});

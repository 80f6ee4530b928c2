/**
 * Whitening for Gaussian models (the vision heads per position, the audio VAE's latent density per machine): from
 * a covariance Σ (row-major, n×n, float64) to W = L⁻¹ with Σ = L·Lᵀ, so the squared Mahalanobis distance is
 * ‖W(x − μ)‖². A small ridge keeps Σ positive definite when there are fewer samples than dimensions.
 *
 * @example
 *   const w = whiteningMatrix(cov, 376, 0.01); // Float64Array, lower triangular
 */

export class NotPositiveDefiniteError extends Error {
  readonly retriable = false;
}

export function whiteningMatrix(cov: Float64Array, n: number, ridge: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = cov[i * n + j]! + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > 0)) throw new NotPositiveDefiniteError(`covariance is not positive definite at row ${i} (pivot ${sum})`);
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  // Forward substitution column by column: L·W = I.
  const w = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    for (let i = col; i < n; i++) {
      let sum = i === col ? 1 : 0;
      for (let k = col; k < i; k++) sum -= l[i * n + k]! * w[k * n + col]!;
      w[i * n + col] = sum / l[i * n + i]!;
    }
  }
  return w;
}

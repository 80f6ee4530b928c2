/**
 * Principal axes of a symmetric matrix (cyclic Jacobi rotations, float64): the fixed channel reduction of the
 * Gaussian model, fitted once on the training features' covariance. Jacobi because n is small (376) and it is
 * exact to round-off without a linear-algebra dependency.
 *
 * @example
 *   const { values, vectors } = symmetricEigen(cov, 376); // values descending, vectors column k ↔ values[k]
 *   const projection = topAxes(cov, 376, 100);           // Float32Array [376 × 100], columns orthonormal
 */

export interface Eigen {
  /** Descending. */
  values: Float64Array;
  /** Row-major n×n; column k is the unit eigenvector of values[k]. */
  vectors: Float64Array;
}

export function symmetricEigen(matrix: ArrayLike<number>, n: number, maxSweeps = 30): Eigen {
  const a = Float64Array.from(matrix as ArrayLike<number>);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) {
      scale += a[i * n + i]! ** 2;
      for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    }
    if (off <= 1e-24 * scale) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J on rows/columns p and q.
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) vectors[k * n + to] = v[k * n + from]!;
  });
  return { values, vectors };
}

/** The `dims` leading principal axes as a row-major [n × dims] projection; each column's sign is fixed (largest entry positive) so refits agree. */
export function topAxes(cov: ArrayLike<number>, n: number, dims: number): Float32Array {
  if (dims > n) throw new Error(`cannot keep ${dims} axes of ${n}`);
  const { vectors } = symmetricEigen(cov, n);
  const out = new Float32Array(n * dims);
  for (let k = 0; k < dims; k++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(vectors[i * n + k]!) > Math.abs(big)) big = vectors[i * n + k]!;
    const sign = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) out[i * dims + k] = sign * vectors[i * n + k]!;
  }
  return out;
}

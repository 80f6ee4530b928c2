/**
 * Shares the per-position covariances of the Gaussian over `share × share` blocks of the feature grid, each block's
 * covariance estimated from its cells and `radius` more cells on every side. Means stay per position; only the
 * spread around them is pooled, i.e. the covariance of the per-position-centred samples of the neighbourhood:
 * Σ_b = Σ_{q∈S_b} Σ_i (x_iq − μ_q)(x_iq − μ_q)ᵀ / (|S_b|(n − 1)) = the mean of the cells' covariances. Why:
 * neighbouring cells of an aligned part see the same texture, so pooling gives each estimate |S_b| times the
 * samples (less ridge needed), and `share` 2 stores 4× fewer d×d matrices (the head's memory and per-call bytes).
 *
 * @example
 *   const pooled = poolCovariances(covs, 40, 40, 160, { share: 2, radius: 1 }); // [400, 160, 160], float64
 */

export interface CovariancePooling {
  /** Block edge in grid cells: 1 = one covariance per position (PaDiM), 2 = one per 2×2 block. */
  share: number;
  /** Extra cells on each side of a block whose covariances join its estimate (clipped at the grid's border). */
  radius: number;
}

export const NO_POOLING: CovariancePooling = { share: 1, radius: 0 };

/** `covs` `[H·W, d, d]` row-major per position → `[(H/share)·(W/share), d, d]`, blocks in row-major order. */
export function poolCovariances(covs: ArrayLike<number>, height: number, width: number, d: number, pooling: CovariancePooling): Float64Array {
  const { share, radius } = pooling;
  if (height % share !== 0 || width % share !== 0) throw new Error(`a ${height}×${width} grid does not split into ${share}×${share} blocks`);
  const [bh, bw] = [height / share, width / share];
  const dd = d * d;
  const out = new Float64Array(bh * bw * dd);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      const target = out.subarray((by * bw + bx) * dd, (by * bw + bx + 1) * dd);
      let cells = 0;
      for (let y = Math.max(0, by * share - radius); y < Math.min(height, (by + 1) * share + radius); y++)
        for (let x = Math.max(0, bx * share - radius); x < Math.min(width, (bx + 1) * share + radius); x++) {
          const base = (y * width + x) * dd;
          for (let i = 0; i < dd; i++) target[i]! += covs[base + i]!;
          cells++;
        }
      for (let i = 0; i < dd; i++) target[i]! /= cells;
    }
  return out;
}

/** Block of grid cell (y, x) and the cell's index inside it (row-major): the head's storage order. */
export function blockOf(y: number, x: number, width: number, share: number): { block: number; sub: number } {
  return { block: Math.floor(y / share) * (width / share) + Math.floor(x / share), sub: (y % share) * share + (x % share) };
}

/**
 * Fits a full-covariance Gaussian per feature-grid position (PaDiM), streaming over feature batches so that
 * thousands of training images never sit in memory at once. All 376 channels are summed per position (batched
 * matMul in TensorFlow); at the end the channels are reduced to the `dims` leading principal axes of the pooled
 * training covariance (PCA on train only: fewer parameters, a head of ~40 MB instead of 485 MB at 256), or, with
 * `dims` 376, kept as they are (no PCA, as PaDiM's full-covariance reference: the leading axes are the
 * high-variance end, and a Gaussian on pretrained features finds defects mostly in the low-variance directions,
 * Rippel et al. 2020), and each position's Gaussian is whitened in float64 in that space.
 *
 * @example
 *   const fit = new PositionGaussianFit(32, 32);
 *   for (const batch of batches) fit.add(batch.data, batch.count); // [n, 376, 32, 32] each
 *   const { projection, mean, whitening } = fit.finish(100, 0.01);
 */
import { tf } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../../backbone/efficientnet-lite.constants';
import { whiteningMatrix } from '@vigil/features';
import { topAxes } from '../pca/principal-axes';
import { type CovariancePooling, NO_POOLING, poolCovariances } from './covariance-pooling';

export interface PositionGaussian {
  /** [376, dims], row-major: features × projection = reduced features. */
  projection: Float32Array;
  dims: number;
  /** [positions, dims], in the reduced space. */
  mean: Float32Array;
  /** [blocks, dims, dims], W with Σ⁻¹ = WᵀW (lower triangular), one per `share × share` block of positions. */
  whitening: Float32Array;
  /** Block edge the covariances are shared over (1 = one per position); absent means 1. */
  share?: number;
  count: number;
}

/** What the fit knows before whitening: principal axes, per-position means and covariances in the reduced space. */
export interface PositionStatistics {
  projection: Float32Array;
  dims: number;
  height: number;
  width: number;
  /** [positions, dims] */
  mean: Float32Array;
  /** [positions, dims, dims], symmetric. */
  covariance: Float32Array;
  count: number;
}

/** Whitening per block from the pooled covariances (see covariance-pooling): one statistics pass, any pooling. */
export function whitenGaussian(stats: PositionStatistics, ridge: number, pooling: CovariancePooling = NO_POOLING): PositionGaussian {
  const d = stats.dims;
  const pooled = poolCovariances(stats.covariance, stats.height, stats.width, d, pooling);
  const blocks = pooled.length / (d * d);
  const whitening = new Float32Array(pooled.length);
  for (let b = 0; b < blocks; b++) whitening.set(whiteningMatrix(pooled.subarray(b * d * d, (b + 1) * d * d), d, ridge), b * d * d);
  return { projection: stats.projection, dims: d, mean: stats.mean, whitening, share: pooling.share, count: stats.count };
}

/**
 * The statistics of a Gaussian fitted on `rows` (one `[376, height, width]` feature grid per image, e.g. held in
 * memory for cross-fitting), summed `batchSize` grids at a time.
 */
export function fitPositionStatistics(rows: readonly Float32Array[], height: number, width: number, dims: number, batchSize = 16): PositionStatistics {
  const fit = new PositionGaussianFit(height, width);
  const per = FEATURE_CHANNELS * height * width;
  try {
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize);
      const data = new Float32Array(batch.length * per);
      batch.forEach((row, k) => {
        if (row.length !== per) throw new Error(`feature grid ${start + k} has ${row.length} values, expected ${per} (376 × ${height} × ${width})`);
        data.set(row, k * per);
      });
      fit.add(data, batch.length);
    }
    return fit.statistics(dims);
  } finally {
    fit.dispose();
  }
}

export class PositionGaussianFit {
  private sumOuter: tf.Tensor3D | undefined;
  private sum: tf.Tensor2D | undefined;
  /** The first batch's mean, subtracted before summing so float32 sums do not cancel catastrophically. */
  private shift: tf.Tensor3D | undefined;
  private count = 0;
  private readonly positions: number;

  constructor(
    readonly height: number,
    readonly width: number,
  ) {
    this.positions = height * width;
  }

  add(features: Float32Array, n: number): void {
    const next = tf.tidy(() => {
      const all = tf.tensor3d(features, [n, FEATURE_CHANNELS, this.positions]);
      const x = tf.transpose(all, [2, 0, 1]) as tf.Tensor3D; // [P, n, C]
      const shift = this.shift ?? tf.keep(tf.mean(x, 1, true) as tf.Tensor3D);
      const centred = tf.sub(x, shift) as tf.Tensor3D;
      const outer = tf.matMul(centred, centred, true, false);
      const sum = tf.sum(centred, 1) as tf.Tensor2D;
      return { shift, outer: this.sumOuter ? tf.add(this.sumOuter, outer) : outer, sum: this.sum ? tf.add(this.sum, sum) : sum };
    });
    this.sumOuter?.dispose();
    this.sum?.dispose();
    this.shift = next.shift;
    this.sumOuter = next.outer as tf.Tensor3D;
    this.sum = next.sum as tf.Tensor2D;
    this.count += n;
  }

  finish(dims: number, ridge: number, pooling: CovariancePooling = NO_POOLING): PositionGaussian {
    return whitenGaussian(this.statistics(dims), ridge, pooling);
  }

  /** Principal axes, means and reduced covariances; releases the sums (call once). */
  statistics(dims: number): PositionStatistics {
    if (!this.sumOuter || !this.sum || !this.shift || this.count < 2) throw new Error('PositionGaussianFit needs at least two images');
    const n = this.count;
    const c = FEATURE_CHANNELS;
    const d = Math.min(dims, c);
    const { sumOuter, sum, shift } = this;
    const m = tf.div(sum, n) as tf.Tensor2D; // [P, C], shifted coordinates
    // Step by step, each [P, C, C] tensor (757 MB at 40×40) released as soon as the next exists: one tidy would hold four.
    const outer = tf.tidy(() => tf.mul(n, tf.matMul(tf.expandDims(m, 2), tf.expandDims(m, 1))));
    const centred = tf.sub(sumOuter, outer);
    outer.dispose();
    sumOuter.dispose();
    this.sumOuter = undefined;
    const cov = tf.div(centred, n - 1) as tf.Tensor3D;
    centred.dispose();
    const pooled = tf.tidy(() => {
      const mean = tf.add(tf.squeeze(shift, [1]), m) as tf.Tensor2D; // [P, C]
      // Total covariance of a patch drawn at any position: mean within-position covariance + spread of the means.
      const spread = tf.sub(mean, tf.mean(mean, 0, true));
      const total = tf.add(tf.mean(cov, 0), tf.div(tf.matMul(spread, spread, true, false), this.positions));
      return { cov, mean, total };
    });
    // Keeping every channel is no reduction at all: the identity instead of a rotation onto all 376 axes (the same
    // Mahalanobis distances, the ridge being isotropic), so the head can skip the projection (isIdentityProjection).
    const keepAll = d === c;
    const projection = keepAll ? identityProjection(c) : topAxes(pooled.total.dataSync(), c, d);
    const reduced = keepAll
      ? { cov: pooled.cov, mean: pooled.mean }
      : tf.tidy(() => {
          const p = tf.tensor2d(projection, [c, d]);
          const left = tf.reshape(tf.matMul(tf.reshape(pooled.cov, [this.positions * c, c]), p), [this.positions, c, d]); // Σ·P
          const both = tf.reshape(tf.matMul(tf.reshape(tf.transpose(left, [0, 2, 1]), [this.positions * d, c]), p), [this.positions, d, d]); // Pᵀ·Σ·P
          return { cov: both, mean: tf.matMul(pooled.mean, p) };
        });
    const covs = reduced.cov.dataSync();
    const mean = reduced.mean.dataSync() as Float32Array;
    tf.dispose([...new Set([pooled.cov, pooled.mean, pooled.total, reduced.cov, reduced.mean, m])]);
    this.dispose();
    const covariance = new Float32Array(this.positions * d * d);
    for (let q = 0; q < this.positions; q++)
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) covariance[(q * d + i) * d + j] = 0.5 * (covs[(q * d + i) * d + j]! + covs[(q * d + j) * d + i]!);
    return { projection, dims: d, height: this.height, width: this.width, mean, covariance, count: n };
  }

  dispose(): void {
    this.sumOuter?.dispose();
    this.sum?.dispose();
    this.shift?.dispose();
    this.sumOuter = this.sum = this.shift = undefined;
  }
}

/** The `[n, n]` identity: the projection of a Gaussian over all feature channels (no principal axes). */
export function identityProjection(n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** Whether `gaussian` keeps every channel as it is (its projection is the identity): its head needs no projection. */
export function isIdentityProjection(gaussian: Pick<PositionGaussian, 'projection' | 'dims'>): boolean {
  const { projection, dims } = gaussian;
  if (dims !== FEATURE_CHANNELS || projection.length !== dims * dims) return false;
  for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) if (projection[i * dims + j] !== (i === j ? 1 : 0)) return false;
  return true;
}

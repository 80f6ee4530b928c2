/**
 * Fits a full-covariance Gaussian per feature-grid position (PaDiM), streaming over feature batches so that
 * thousands of augmented training images never sit in memory at once. The sums of outer products run in
 * TensorFlow (batched matMul); covariance, ridge and whitening in float64 here.
 *
 * @example
 *   const fit = new PositionGaussianFit(channels, 32, 32);
 *   for (const batch of batches) fit.add(batch.data, batch.count); // [n, 344, 32, 32] each
 *   const { mean, whitening } = fit.finish(0.01);
 */
import { tf } from '@vigil/ml';
import { FEATURE_CHANNELS } from '../../backbone/efficientnet-lite0.constants';
import { whiteningMatrix } from '../cholesky';

export interface PositionGaussian {
  /** [positions, channels] */
  mean: Float32Array;
  /** [positions, channels, channels], W with Σ⁻¹ = WᵀW (lower triangular). */
  whitening: Float32Array;
  count: number;
}

export class PositionGaussianFit {
  private sumOuter: tf.Tensor3D | undefined;
  private sum: tf.Tensor2D | undefined;
  /** The first batch's mean, subtracted before summing so float32 sums do not cancel catastrophically. */
  private shift: tf.Tensor3D | undefined;
  private count = 0;
  private readonly positions: number;

  constructor(
    private readonly channels: readonly number[],
    readonly height: number,
    readonly width: number,
  ) {
    this.positions = height * width;
  }

  add(features: Float32Array, n: number): void {
    const next = tf.tidy(() => {
      const all = tf.tensor4d(features, [n, FEATURE_CHANNELS, this.height, this.width]);
      const kept = tf.gather(all, tf.tensor1d(this.channels as number[], 'int32'), 1);
      const x = tf.transpose(tf.reshape(kept, [n, this.channels.length, this.positions]), [2, 0, 1]) as tf.Tensor3D; // [P, n, C]
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

  finish(ridge: number): PositionGaussian {
    if (!this.sumOuter || !this.sum || !this.shift || this.count < 2) throw new Error('PositionGaussianFit needs at least two images');
    const c = this.channels.length;
    const outer = this.sumOuter.dataSync();
    const sums = this.sum.dataSync();
    const shift = this.shift.dataSync();
    const mean = new Float32Array(this.positions * c);
    const whitening = new Float32Array(this.positions * c * c);
    const cov = new Float64Array(c * c);
    const n = this.count;
    for (let p = 0; p < this.positions; p++) {
      for (let i = 0; i < c; i++) {
        const mi = sums[p * c + i]! / n;
        mean[p * c + i] = shift[p * c + i]! + mi;
        for (let j = 0; j < c; j++) cov[i * c + j] = (outer[(p * c + i) * c + j]! - n * mi * (sums[p * c + j]! / n)) / (n - 1);
      }
      whitening.set(whiteningMatrix(cov, c, ridge), p * c * c);
    }
    this.dispose();
    return { mean, whitening, count: n };
  }

  dispose(): void {
    this.sumOuter?.dispose();
    this.sum?.dispose();
    this.shift?.dispose();
    this.sumOuter = this.sum = this.shift = undefined;
  }
}

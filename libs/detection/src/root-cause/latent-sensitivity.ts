/**
 * Latent sensitivity: which latent dimensions move the window's reconstruction error most. Each latent mean is
 * pushed by ± its posterior standard deviation and decoded (one batched `decode` for the 2·L + 1 codes). The
 * sensitivity is the mean absolute change of the mean squared reconstruction error over the two pushes, so it
 * also sees curvature: at an encoder that minimises the error exactly (PCA) the gradient is zero and only
 * the curvature term remains (then equal across dimensions, which is honest: PCA's decoder is isometric).
 * The slope (central difference) gives the direction. Finite differences through `decode` work for any
 * WindowModel, TensorFlow or not.
 *
 * @example
 *   const dims = latentSensitivity(model, window); // [{ dimension: 3, sensitivity: 0.8, slope: -0.8 }, …]
 */
import type { WindowBatch, WindowModel } from '@vigil/ml';

export interface LatentSensitivity {
  dimension: number;
  /** Mean |Δ error| over a push of ± one step (one posterior σ by default): how much this dimension moves the score. */
  sensitivity: number;
  /** Central difference of the error per step (negative: moving up reconstructs the window better). */
  slope: number;
}

export interface LatentSensitivityOptions {
  /** Step in posterior standard deviations (default 1). */
  stepInSigmas?: number;
  /** Step used where the posterior σ is not usable (0, NaN): in latent units (default 0.1). */
  fallbackStep?: number;
}

function meanSquaredError(x: WindowBatch, reconstruction: WindowBatch, index: number): number {
  const size = x.steps * x.channels;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const residual = x.data[i]! - reconstruction.data[index * size + i]!;
    sum += residual * residual;
  }
  return sum / size;
}

/** Sensitivities of the first window of `x`, sorted by sensitivity (largest first). */
export function latentSensitivity(model: WindowModel, x: WindowBatch, options: LatentSensitivityOptions = {}): LatentSensitivity[] {
  const { stepInSigmas = 1, fallbackStep = 0.1 } = options;
  const single: WindowBatch = { data: x.data.subarray(0, x.steps * x.channels), batch: 1, steps: x.steps, channels: x.channels };
  const latent = model.encode(single);
  const dims = latent.latentDim;
  // Codes 0..2L−1: ± pushes of each dimension; code 2L: the unperturbed mean.
  const codes = new Float32Array((2 * dims + 1) * dims);
  codes.set(latent.mean.subarray(0, dims), 2 * dims * dims);
  const steps = new Float64Array(dims);
  for (let j = 0; j < dims; j++) {
    const sigma = Math.exp(0.5 * latent.logVar[j]!);
    steps[j] = Number.isFinite(sigma) && sigma > 0 ? stepInSigmas * sigma : fallbackStep;
    for (const [k, sign] of [[2 * j, 1], [2 * j + 1, -1]] as const) {
      codes.set(latent.mean.subarray(0, dims), k * dims);
      codes[k * dims + j] = latent.mean[j]! + sign * steps[j]!;
    }
  }
  const decoded = model.decode(codes, 2 * dims + 1);
  const base = meanSquaredError(single, decoded, 2 * dims);
  const result: LatentSensitivity[] = [];
  for (let j = 0; j < dims; j++) {
    const up = meanSquaredError(single, decoded, 2 * j);
    const down = meanSquaredError(single, decoded, 2 * j + 1);
    result.push({ dimension: j, sensitivity: (Math.abs(up - base) + Math.abs(down - base)) / 2, slope: (up - down) / 2 });
  }
  return result.sort((a, b) => b.sensitivity - a.sensitivity || a.dimension - b.dimension);
}

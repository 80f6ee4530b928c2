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
import type { LatentBatch, WindowBatch, WindowModel } from '@vigil/ml';

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
  /** Per-channel scale residuals are divided by (e.g. the training std), so large units do not dominate. */
  residualScale?: ArrayLike<number>;
}

/** Mean squared error between window `w` of `x` and code `code` of the decoded batch. */
function meanSquaredError(x: WindowBatch, w: number, reconstruction: WindowBatch, code: number, scale?: ArrayLike<number>): number {
  const size = x.steps * x.channels;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const residual = (x.data[w * size + i]! - reconstruction.data[code * size + i]!) / (scale?.[i % x.channels] || 1);
    sum += residual * residual;
  }
  return sum / size;
}

/** Sensitivities of the first window of `x`, sorted by sensitivity (largest first). */
export function latentSensitivity(model: WindowModel, x: WindowBatch, options: LatentSensitivityOptions = {}): LatentSensitivity[] {
  const single: WindowBatch = { data: x.data.subarray(0, x.steps * x.channels), batch: 1, steps: x.steps, channels: x.channels };
  return latentSensitivities(model, single, model.encode(single), options)[0]!;
}

/**
 * Sensitivities of every window of `x` given their posteriors (e.g. from the scoring pass), with one `decode`
 * call for all of them: what a service can afford per micro-batch of flagged windows.
 */
export function latentSensitivities(
  model: Pick<WindowModel, 'decode'>,
  x: WindowBatch,
  latent: LatentBatch,
  options: LatentSensitivityOptions = {},
): LatentSensitivity[][] {
  const { stepInSigmas = 1, fallbackStep = 0.1, residualScale } = options;
  const dims = latent.latentDim;
  const perWindow = 2 * dims + 1;
  // Per window, codes 0..2L−1: ± pushes of each dimension; code 2L: the unperturbed mean.
  const codes = new Float32Array(x.batch * perWindow * dims);
  for (let w = 0; w < x.batch; w++) {
    const mean = latent.mean.subarray(w * dims, (w + 1) * dims);
    const first = w * perWindow;
    codes.set(mean, (first + 2 * dims) * dims);
    for (let j = 0; j < dims; j++) {
      const sigma = Math.exp(0.5 * latent.logVar[w * dims + j]!);
      const step = Number.isFinite(sigma) && sigma > 0 ? stepInSigmas * sigma : fallbackStep;
      for (const [k, sign] of [
        [2 * j, 1],
        [2 * j + 1, -1],
      ] as const) {
        codes.set(mean, (first + k) * dims);
        codes[(first + k) * dims + j] = mean[j]! + sign * step;
      }
    }
  }
  const decoded = model.decode(codes, x.batch * perWindow);
  return Array.from({ length: x.batch }, (_, w) => {
    const first = w * perWindow;
    const base = meanSquaredError(x, w, decoded, first + 2 * dims, residualScale);
    const result: LatentSensitivity[] = [];
    for (let j = 0; j < dims; j++) {
      const up = meanSquaredError(x, w, decoded, first + 2 * j, residualScale);
      const down = meanSquaredError(x, w, decoded, first + 2 * j + 1, residualScale);
      result.push({ dimension: j, sensitivity: (Math.abs(up - base) + Math.abs(down - base)) / 2, slope: (up - down) / 2 });
    }
    return result.sort((a, b) => b.sensitivity - a.sensitivity || a.dimension - b.dimension);
  });
}

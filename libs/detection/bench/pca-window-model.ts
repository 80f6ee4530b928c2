/**
 * A linear autoencoder (PCA) over flattened windows that implements `WindowModel`, for benchmarks that need
 * a real fitted model without TensorFlow: the top-k principal directions of normal windows by subspace
 * iteration on their covariance. encode = Pᵀ(x − μ), decode = μ + P z, score = mean squared reconstruction
 * error. logVar is the residual (noise) variance σ² of probabilistic PCA in every direction, so latent
 * perturbations of one posterior σ are comparable across dimensions.
 *
 * @example
 *   const model = PcaWindowModel.fit(normalWindows, { latentDim: 24, channelNames });
 *   const scores = model.score(windows);
 */
import { type LatentBatch, ReconstructionWindowModel, type WindowBatch } from '@vigil/ml';

export interface PcaFitOptions {
  latentDim: number;
  channelNames: readonly string[];
  iterations?: number;
  seed?: number;
}

function gramSchmidt(q: Float64Array, rows: number, cols: number): void {
  // Columns of a row-major rows×cols matrix, orthonormalised in place (modified Gram-Schmidt).
  for (let j = 0; j < cols; j++) {
    for (let k = 0; k < j; k++) {
      let dot = 0;
      for (let i = 0; i < rows; i++) dot += q[i * cols + j]! * q[i * cols + k]!;
      for (let i = 0; i < rows; i++) q[i * cols + j] = q[i * cols + j]! - dot * q[i * cols + k]!;
    }
    let norm = 0;
    for (let i = 0; i < rows; i++) norm += q[i * cols + j]! ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < rows; i++) q[i * cols + j] = q[i * cols + j]! / norm;
  }
}

export class PcaWindowModel extends ReconstructionWindowModel {
  private constructor(
    readonly steps: number,
    readonly channels: number,
    readonly latentDim: number,
    readonly channelNames: readonly string[],
    private readonly mean: Float64Array,
    /** `[dimension][latentDim]` row-major principal directions. */
    private readonly components: Float64Array,
    readonly eigenvalues: Float64Array,
    readonly noiseVariance: number,
  ) {
    super();
  }

  get version(): string {
    return `pca-k${this.latentDim}`;
  }

  static fit(windows: WindowBatch, options: PcaFitOptions): PcaWindowModel {
    const { latentDim: k, iterations = 150, seed = 7 } = options;
    const d = windows.steps * windows.channels;
    const n = windows.batch;
    const mean = new Float64Array(d);
    for (let b = 0; b < n; b++) for (let i = 0; i < d; i++) mean[i] = mean[i]! + windows.data[b * d + i]! / n;
    const covariance = new Float64Array(d * d);
    const centred = new Float64Array(d);
    for (let b = 0; b < n; b++) {
      for (let i = 0; i < d; i++) centred[i] = windows.data[b * d + i]! - mean[i]!;
      for (let i = 0; i < d; i++) {
        const ci = centred[i]! / (n - 1);
        if (ci === 0) continue;
        const row = i * d;
        for (let j = i; j < d; j++) covariance[row + j] = covariance[row + j]! + ci * centred[j]!;
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) covariance[i * d + j] = covariance[j * d + i]!;
    let trace = 0;
    for (let i = 0; i < d; i++) trace += covariance[i * d + i]!;

    // Subspace iteration with a few extra columns for faster convergence of the k we keep.
    const cols = Math.min(d, k + 8);
    let state = seed >>> 0;
    const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296 - 0.5;
    let q = Float64Array.from({ length: d * cols }, random);
    gramSchmidt(q, d, cols);
    const z = new Float64Array(d * cols);
    for (let iteration = 0; iteration < iterations; iteration++) {
      z.fill(0);
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          const c = covariance[i * d + j]!;
          if (c === 0) continue;
          for (let m = 0; m < cols; m++) z[i * cols + m] = z[i * cols + m]! + c * q[j * cols + m]!;
        }
      }
      gramSchmidt(z, d, cols);
      [q] = [Float64Array.from(z)];
    }
    // Rayleigh quotients, then keep the k largest.
    const rayleigh = Array.from({ length: cols }, (_, m) => {
      let value = 0;
      for (let i = 0; i < d; i++) {
        let row = 0;
        for (let j = 0; j < d; j++) row += covariance[i * d + j]! * q[j * cols + m]!;
        value += q[i * cols + m]! * row;
      }
      return { m, value };
    }).sort((a, b) => b.value - a.value);
    const components = new Float64Array(d * k);
    const eigenvalues = new Float64Array(k);
    rayleigh.slice(0, k).forEach(({ m, value }, j) => {
      eigenvalues[j] = value;
      for (let i = 0; i < d; i++) components[i * k + j] = q[i * cols + m]!;
    });
    const noiseVariance = Math.max((trace - eigenvalues.reduce((a, b) => a + b, 0)) / Math.max(d - k, 1), 1e-12);
    return new PcaWindowModel(windows.steps, windows.channels, k, options.channelNames, mean, components, eigenvalues, noiseVariance);
  }

  encode(x: WindowBatch): LatentBatch {
    const d = this.steps * this.channels;
    const k = this.latentDim;
    const mean = new Float32Array(x.batch * k);
    const centred = new Float64Array(d);
    for (let b = 0; b < x.batch; b++) {
      for (let i = 0; i < d; i++) centred[i] = x.data[b * d + i]! - this.mean[i]!;
      for (let j = 0; j < k; j++) {
        let sum = 0;
        for (let i = 0; i < d; i++) sum += this.components[i * k + j]! * centred[i]!;
        mean[b * k + j] = sum;
      }
    }
    return { mean, logVar: new Float32Array(x.batch * k).fill(Math.log(this.noiseVariance)), batch: x.batch, latentDim: k };
  }

  decode(z: Float32Array, batch: number): WindowBatch {
    const d = this.steps * this.channels;
    const k = this.latentDim;
    const data = new Float32Array(batch * d);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < d; i++) {
        let sum = this.mean[i]!;
        for (let j = 0; j < k; j++) sum += this.components[i * k + j]! * z[b * k + j]!;
        data[b * d + i] = sum;
      }
    }
    return { data, batch, steps: this.steps, channels: this.channels };
  }
}

/**
 * The parts of a WindowModel that follow from its encoder and decoder alone: the deterministic reconstruction
 * (decode the posterior mean), the score (mean squared reconstruction error per window) and `assess` (all three
 * from one encode). Small deterministic models — the PCA baseline of the root-cause benchmark, test models —
 * implement `encode` and `decode` and inherit the rest, instead of copying it.
 *
 * @example
 *   class MeanModel extends ReconstructionWindowModel { encode(x) {…} decode(z, batch) {…} }
 */
import type { LatentBatch, WindowAssessment, WindowBatch, WindowModel } from './window-model';

export abstract class ReconstructionWindowModel implements WindowModel {
  abstract readonly steps: number;
  abstract readonly channels: number;
  abstract readonly latentDim: number;
  abstract readonly channelNames: readonly string[];
  abstract readonly version: string;

  abstract encode(x: WindowBatch): LatentBatch;
  abstract decode(z: Float32Array, batch: number): WindowBatch;

  reconstruct(x: WindowBatch): WindowBatch {
    return this.decode(this.encode(x).mean, x.batch);
  }

  score(x: WindowBatch): Float32Array {
    return meanSquaredError(x, this.reconstruct(x));
  }

  assess(x: WindowBatch): WindowAssessment {
    const latent = this.encode(x);
    const reconstruction = this.decode(latent.mean, x.batch);
    return { scores: meanSquaredError(x, reconstruction), latent, reconstruction };
  }
}

/** Mean squared error per window between a batch and its reconstruction. */
export function meanSquaredError(x: WindowBatch, reconstruction: WindowBatch): Float32Array {
  const size = x.steps * x.channels;
  const scores = new Float32Array(x.batch);
  for (let b = 0; b < x.batch; b++) {
    let sum = 0;
    for (let i = b * size; i < (b + 1) * size; i++) sum += (x.data[i]! - reconstruction.data[i]!) ** 2;
    scores[b] = sum / size;
  }
  return scores;
}

/**
 * The contract every window model (time-series VAE, audio VAE, later vision and fused VAEs) offers to code
 * that is not about training: scoring, thresholds, root-cause analysis, the detector. Plain typed arrays in
 * and out, synchronous, no tensors cross this boundary, so `libs/detection` never imports TensorFlow.js.
 *
 * Layout: a batch of windows is row-major `[batch][steps][channels]` in one Float32Array.
 *
 * @example
 *   const x: WindowBatch = { data, batch: 1, steps: 30, channels: 14 };
 *   const [score] = model.score(x);          // higher = more anomalous
 *   const recon = model.reconstruct(x);      // same shape as x
 */
export interface WindowBatch {
  data: Float32Array;
  batch: number;
  steps: number;
  channels: number;
}

export interface LatentBatch {
  /** `[batch][latentDim]` posterior means. */
  mean: Float32Array;
  /** `[batch][latentDim]` posterior log-variances. */
  logVar: Float32Array;
  batch: number;
  latentDim: number;
}

/** What serving needs per window, from one forward pass. */
export interface WindowAssessment {
  /** Anomaly score per window, as `score()` gives it. */
  scores: Float32Array;
  /** The latent posterior per window, as `encode()` gives it. */
  latent: LatentBatch;
  /** The deterministic reconstruction, as `reconstruct()` gives it: explainers need no second pass. */
  reconstruction: WindowBatch;
}

export interface WindowModel {
  readonly steps: number;
  readonly channels: number;
  readonly latentDim: number;
  /** Channel names in input order, for reports. */
  readonly channelNames: readonly string[];
  readonly version: string;
  /**
   * Typical spread of each channel (e.g. the training std), when the model knows it: explainers divide
   * reconstruction errors by it so a channel measured in large units does not dominate by its unit alone.
   */
  readonly channelScale?: ArrayLike<number>;
  encode(x: WindowBatch): LatentBatch;
  /** Decoder means for latent codes `[batch][latentDim]`. */
  decode(z: Float32Array, batch: number): WindowBatch;
  /** decode(encode(x).mean): the deterministic reconstruction. */
  reconstruct(x: WindowBatch): WindowBatch;
  /** Anomaly score per window; higher is more anomalous. */
  score(x: WindowBatch): Float32Array;
  /** score(), encode() and reconstruct() together, from one forward pass: the detector's hot path. */
  assess(x: WindowBatch): WindowAssessment;
}

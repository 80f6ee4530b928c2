/**
 * The multimodal VAE behind a typed window interface: raw per-modality inputs in (any subset present), one
 * fused score per window with each modality's calibrated error and share out. Holds the per-modality scalers
 * fitted on training data and the calibration (each modality's mean error on normal windows), so the score is
 * ≈ 1 on normal windows whatever subset of modalities a window carries.
 *
 * @example
 *   const model = new MultimodalWindowModel(vae, scalers, calibration, 'multimodal-pump@v1');
 *   const [result] = model.score([{ sensor, audio }]);                     // no image in this window
 *   result.score; result.shares.audio;
 */
import { tf } from '../../runtime';
import { type ChannelScaler, type ChannelScalerState } from '../channel-scaler';
import { inputShape, inputSize } from './multimodal-vae-config';
import type { MultimodalTensorBatch, MultimodalVae } from './multimodal-vae';
import type { ModalityName, MultimodalAssessment, MultimodalInputs } from './types';

export class MultimodalInputError extends Error {
  override readonly name = 'MultimodalInputError';
}

/** Per-modality scalers (features of the last axis: sensor channels, mel bands, image channels). */
export type MultimodalScalers = Record<ModalityName, ChannelScaler>;
export type MultimodalScalerStates = Partial<Record<ModalityName, ChannelScalerState>>;
/** Mean per-element squared error of each modality on normal (training) windows. */
export type MultimodalCalibration = Partial<Record<ModalityName, number>>;

/** Feature count of the last axis, which the scaler standardises. */
export function scaledFeatures(vae: MultimodalVae, m: ModalityName): number {
  const shape = inputShape(vae.config, m);
  return shape[shape.length - 1]!;
}

/** Packs windows into normalised tensors with presence masks; missing modalities become zero rows. */
export function packBatch(vae: MultimodalVae, scalers: MultimodalScalers, windows: readonly MultimodalInputs[]): MultimodalTensorBatch {
  for (const w of windows) {
    for (const key of Object.keys(w)) {
      if (!vae.config.modalities.includes(key as ModalityName)) throw new MultimodalInputError(`the model has no ${key} modality (has ${vae.config.modalities.join(', ')})`);
    }
  }
  const inputs = {} as MultimodalTensorBatch['inputs'];
  const present = {} as MultimodalTensorBatch['present'];
  for (const m of vae.config.modalities) {
    const size = inputSize(vae.config, m);
    const data = new Float32Array(windows.length * size);
    const mask = new Float32Array(windows.length);
    windows.forEach((w, i) => {
      const x = w[m];
      if (x === undefined) return;
      if (x.length !== size) throw new MultimodalInputError(`window ${i}: ${m} has ${x.length} values, the model takes ${inputShape(vae.config, m).join('×')} = ${size}`);
      data.set(scalers[m].transform(x), i * size);
      mask[i] = 1;
    });
    inputs[m] = tf.tensor(data, [windows.length, ...inputShape(vae.config, m)]);
    present[m] = tf.tensor1d(mask);
  }
  return { inputs, present };
}

export function disposeBatch(batch: MultimodalTensorBatch): void {
  tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.present)]);
}

/** One pass's outputs as plain arrays: raw (uncalibrated) errors, reconstructions in input units, fused posterior. */
export interface RawAssessment {
  errors: Partial<Record<ModalityName, Float32Array>>;
  reconstructions: Partial<Record<ModalityName, Float32Array>>;
  fusedMean: Float32Array;
  fusedLogVar: Float32Array;
}

export function rawErrors(vae: MultimodalVae, scalers: MultimodalScalers, windows: readonly MultimodalInputs[], withReconstructions = false): RawAssessment {
  const batch = packBatch(vae, scalers, windows);
  try {
    const result = vae.errors(batch);
    const out: RawAssessment = { errors: {}, reconstructions: {}, fusedMean: result.fusedMean.dataSync() as Float32Array, fusedLogVar: result.fusedLogVar.dataSync() as Float32Array };
    for (const m of vae.config.modalities) {
      out.errors[m] = result.errors[m].dataSync() as Float32Array;
      if (withReconstructions) out.reconstructions[m] = scalers[m].inverse(result.reconstructions[m].dataSync() as Float32Array);
    }
    tf.dispose([...Object.values(result.errors), ...Object.values(result.reconstructions), result.fusedMean, result.fusedLogVar]);
    return out;
  } finally {
    disposeBatch(batch);
  }
}

/** Another runtime for the inference pass (`rawErrors`), such as `OnnxMultimodalRuntime`. */
export interface MultimodalInferenceRuntime {
  rawErrors(scalers: MultimodalScalers, windows: readonly MultimodalInputs[], withReconstructions: boolean): Promise<RawAssessment>;
}

function emptyRaw(): RawAssessment {
  return { errors: {}, reconstructions: {}, fusedMean: new Float32Array(0), fusedLogVar: new Float32Array(0) };
}

export class MultimodalWindowModel {
  constructor(
    readonly vae: MultimodalVae,
    readonly scalers: MultimodalScalers,
    readonly calibration: MultimodalCalibration,
    readonly version: string,
  ) {
    for (const m of vae.config.modalities) {
      if (!scalers[m]) throw new MultimodalInputError(`no scaler for ${m}`);
      if (scalers[m].channels !== scaledFeatures(vae, m)) throw new MultimodalInputError(`${m} scaler has ${scalers[m].channels} features, the model ${scaledFeatures(vae, m)}`);
      if (!(calibration[m]! > 0)) throw new MultimodalInputError(`calibration of ${m} must be a positive mean error, got ${calibration[m]}`);
    }
  }

  get modalities(): readonly ModalityName[] {
    return this.vae.config.modalities;
  }

  /** Scores a batch of windows in one forward pass; a window with no modality at all is rejected. */
  score(windows: readonly MultimodalInputs[]): MultimodalAssessment[] {
    return this.assess(windows).windows;
  }

  /** `score` plus the fused posterior's log-variance and each modality's reconstruction (input units), from the same pass. */
  assess(windows: readonly MultimodalInputs[]): { windows: MultimodalAssessment[]; raw: RawAssessment } {
    if (windows.length === 0) return { windows: [], raw: emptyRaw() };
    this.check(windows);
    return this.finish(windows, rawErrors(this.vae, this.scalers, windows, true));
  }

  /** `assess` with the inference pass on another runtime (e.g. `OnnxMultimodalRuntime`). */
  async assessOn(runtime: MultimodalInferenceRuntime, windows: readonly MultimodalInputs[]): Promise<{ windows: MultimodalAssessment[]; raw: RawAssessment }> {
    if (windows.length === 0) return { windows: [], raw: emptyRaw() };
    this.check(windows);
    return this.finish(windows, await runtime.rawErrors(this.scalers, windows, true));
  }

  private check(windows: readonly MultimodalInputs[]): void {
    windows.forEach((w, i) => {
      if (!this.modalities.some((m) => w[m] !== undefined)) throw new MultimodalInputError(`window ${i} has none of ${this.modalities.join(', ')}`);
    });
  }

  private finish(windows: readonly MultimodalInputs[], raw: RawAssessment): { windows: MultimodalAssessment[]; raw: RawAssessment } {
    const latentDim = this.vae.config.latentDim;
    const assessed = windows.map((w, i) => {
      const present = this.modalities.filter((m) => w[m] !== undefined);
      const perModality: Partial<Record<ModalityName, number>> = {};
      for (const m of present) perModality[m] = raw.errors[m]![i]! / this.calibration[m]!;
      const total = present.reduce((s, m) => s + perModality[m]!, 0);
      const shares: Partial<Record<ModalityName, number>> = {};
      for (const m of present) shares[m] = total > 0 ? perModality[m]! / total : 1 / present.length;
      return { score: total / present.length, perModality, shares, present, latentMean: raw.fusedMean.slice(i * latentDim, (i + 1) * latentDim) };
    });
    return { windows: assessed, raw };
  }

  dispose(): void {
    this.vae.dispose();
  }
}

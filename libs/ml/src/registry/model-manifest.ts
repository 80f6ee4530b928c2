/**
 * What a saved window model records beside its weights (`model.json` in its registry folder): enough to
 * rebuild it (config, scaler, weight shapes), to judge it (metrics, training history) and to trace it (data
 * fingerprint, hyper-parameters, creation time). Read and written only by the registry.
 */
import type { ChannelScalerState } from '../models/channel-scaler';
import type { TimeSeriesVaeConfig } from '../models/timeseries-vae/types';
import type { TrainingResult } from '../training/vae-trainer';

export const MANIFEST_FORMAT = 'vigil-window-model';
export const MANIFEST_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const MODEL_CARD_FILE = 'MODEL_CARD.md';

/** Which model family the weights belong to; the audio VAE is the time-series VAE over log-mel frames. */
export type WindowModelKind = 'timeseries-vae' | 'audio-vae';

/** The anomaly threshold on `score`, fitted on the training (calibration) scores. */
export interface Calibration {
  /** e.g. `evt-pot` (peaks over threshold) or `percentile`. */
  method: string;
  threshold: number;
  /** Method parameters (risk level, initial quantile, GPD shape/scale, percentile …). */
  parameters: Record<string, number>;
  /** How many scores the calibration saw. */
  scoreCount: number;
}

export interface DataDescription {
  /** `sha256:<hex>` over the training values and their shape (see `dataFingerprint`). */
  fingerprint: string;
  source: string;
  windows: number;
  steps: number;
  stride: number;
}

export interface ModelManifest {
  format: typeof MANIFEST_FORMAT;
  formatVersion: typeof MANIFEST_FORMAT_VERSION;
  kind: WindowModelKind;
  name: string;
  version: string;
  createdAt: string;
  config: TimeSeriesVaeConfig;
  channelNames: string[];
  scaler: ChannelScalerState;
  calibration?: Calibration;
  data: DataDescription;
  hyperParameters: Record<string, unknown>;
  training: { epochs: number; bestEpoch: number; stoppedEarly: boolean; seconds: number; history: Record<string, number>[] };
  metrics: Record<string, number>;
  weights: { name: string; shape: number[] }[];
  /** Free-form, for the tool that made the model (e.g. the CLI's column choices). */
  extra?: Record<string, unknown>;
}

/** The manifest's `training` record of a finished run. */
export function trainingSummary(result: Pick<TrainingResult, 'history' | 'bestEpoch' | 'stoppedEarly'>): ModelManifest['training'] {
  return {
    epochs: result.history.length,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    seconds: result.history.reduce((s, h) => s + h.seconds, 0),
    history: result.history.map((h) => ({ ...h })),
  };
}

export class ModelManifestError extends Error {
  override readonly name = 'ModelManifestError';
}

/** Checks the fields the loader relies on; anything else is informative and passes through. */
export function parseManifest(json: unknown, source: string): ModelManifest {
  const m = json as Partial<ModelManifest> | null;
  if (!m || typeof m !== 'object') throw new ModelManifestError(`${source}: not a JSON object`);
  if (m.format !== MANIFEST_FORMAT) throw new ModelManifestError(`${source}: format is ${String(m.format)}, expected ${MANIFEST_FORMAT}`);
  if (m.formatVersion !== MANIFEST_FORMAT_VERSION) throw new ModelManifestError(`${source}: unsupported formatVersion ${String(m.formatVersion)}`);
  for (const field of ['config', 'scaler', 'channelNames', 'weights', 'name', 'version'] as const) {
    if (m[field] == null) throw new ModelManifestError(`${source}: missing "${field}"`);
  }
  return m as ModelManifest;
}

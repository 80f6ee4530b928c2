/**
 * What a saved window model records beside its weights (`model.json` in its registry folder): enough to
 * rebuild it (config, scaler, weight shapes), to judge it (metrics, training history) and to trace it (data
 * fingerprint, hyper-parameters, creation time). Read and written only by the registry.
 *
 * `parseManifest` validates a parsed `model.json` with `modelManifestSchema` (zod): strict on what the loader
 * builds the model from (format, config, scaler, channel names, weight shapes, calibration), shape-only on
 * what is informative (metrics, hyper-parameters, history). Unknown keys are kept, so a manifest written by
 * a newer tool still loads. Errors name the field: `models/x/v1/model.json: config.latentDim: Expected
 * number, received string`.
 */
import { z } from 'zod';
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

/** JSON has no NaN: `JSON.stringify` writes it as null (e.g. a validation loss without a validation split). */
const jsonNumber = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN);
const positiveInt = z.number().int().positive();
const count = z.number().int().nonnegative();

const vaeConfigSchema = z
  .object({
    steps: positiveInt,
    channels: positiveInt,
    latentDim: positiveInt,
    encoder: z.enum(['cnn', 'transformer']),
    hiddenUnits: positiveInt,
    dropout: z.number().min(0).max(1),
    cnn: z.object({ filters: z.array(positiveInt).nonempty(), kernelSize: positiveInt }),
    transformer: z.object({ modelDim: positiveInt, heads: positiveInt, layers: positiveInt, feedForwardDim: positiveInt }),
    decoder: z.object({ filters: positiveInt, kernelSize: positiveInt }),
  })
  .passthrough();

/** Checked first, so a foreign JSON file gets one clear line instead of a list of missing fields. */
const manifestHeaderSchema = z.object({
  format: z.literal(MANIFEST_FORMAT, { errorMap: (_issue, ctx) => ({ message: `is ${JSON.stringify(ctx.data)}, expected "${MANIFEST_FORMAT}"` }) }),
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION, {
    errorMap: (_issue, ctx) => ({ message: `${JSON.stringify(ctx.data)} is not supported (expected ${MANIFEST_FORMAT_VERSION})` }),
  }),
});

export const modelManifestSchema = manifestHeaderSchema
  .extend({
    kind: z.enum(['timeseries-vae', 'audio-vae']),
    name: z.string().min(1),
    version: z.string().min(1),
    createdAt: z.string(),
    config: vaeConfigSchema,
    channelNames: z.array(z.string()),
    scaler: z.object({ mean: z.array(z.number()), std: z.array(z.number().positive()) }),
    calibration: z
      .object({ method: z.string(), threshold: z.number(), parameters: z.record(z.number()), scoreCount: count })
      .passthrough()
      .optional(),
    data: z.object({ fingerprint: z.string(), source: z.string(), windows: count, steps: count, stride: count }).passthrough(),
    hyperParameters: z.record(z.unknown()),
    training: z
      .object({ epochs: count, bestEpoch: z.number().int(), stoppedEarly: z.boolean(), seconds: z.number(), history: z.array(z.record(jsonNumber)) })
      .passthrough(),
    metrics: z.record(jsonNumber),
    weights: z.array(z.object({ name: z.string(), shape: z.array(count) })),
    extra: z.record(z.unknown()).optional(),
  })
  .passthrough()
  .superRefine((manifest, ctx) => {
    // One value per channel everywhere, or the scaler and the network disagree on what a window is.
    const perChannel = { channelNames: manifest.channelNames, mean: manifest.scaler.mean, std: manifest.scaler.std };
    for (const [field, values] of Object.entries(perChannel)) {
      if (values.length === manifest.config.channels) continue;
      const path = field === 'channelNames' ? [field] : ['scaler', field];
      ctx.addIssue({ code: z.ZodIssueCode.custom, path, message: `has ${values.length} values, config.channels is ${manifest.config.channels}` });
    }
  });

/** Validates a parsed `model.json`; `source` (its path) starts every error message. */
export function parseManifest(json: unknown, source: string): ModelManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelManifestError(`${source}: not a JSON object`);
  const header = manifestHeaderSchema.safeParse(json);
  if (!header.success) throw new ModelManifestError(`${source}: ${describeIssues(header.error)}`);
  const result = modelManifestSchema.safeParse(json);
  if (!result.success) throw new ModelManifestError(`${source}: ${describeIssues(result.error)}`);
  // The return type is the check that the schema's output fits the documented `ModelManifest`.
  return result.data;
}

/** `config.latentDim: Expected number, received string; weights[3].shape: Required` */
function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('; ');
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

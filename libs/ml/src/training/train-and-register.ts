/**
 * The one training entry point for the CLI, the evaluation scripts and the trainer service: fit a window VAE
 * (`fitWindowVae`), evaluate it, write it as a model folder, track the run (parameters, per-epoch losses,
 * metrics, the manifest as an artifact) and register the folder as a new model version — optionally making it
 * the live one. Champion/challenger decisions stay with the caller: it gets the metrics and the registered
 * version, and promotes with `registry.setAlias(name, LIVE_ALIAS, version)`.
 *
 * Cancellation: training is synchronous (tfjs), so `shouldCancel` is polled after every epoch; run it in a
 * worker and back it with shared memory to cancel from outside. A cancelled run ends as KILLED, a failed one as
 * FAILED, and nothing is registered.
 *
 * @example
 *   const { tracker, registry } = createTracking({ trackingUri, localRunsDir: '.runs', registryRoot: 'models/sensor' });
 *   const outcome = await trainAndRegister({ name: 'pump-synthetic', fit: { windows, channelNames }, manifest, tracker, registry, workDir });
 *   if (outcome.metrics.heldOutAuc > championAuc) await registry.setAlias('pump-synthetic', LIVE_ALIAS, outcome.version.version);
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VaeWindowModel } from '../models/vae-window-model';
import { MANIFEST_FILE, trainingSummary, type ModelManifest } from '../registry/model-manifest';
import { writeWindowModel, type ManifestInput } from '../registry/model-registry';
import {
  type ExperimentTracker,
  LIVE_ALIAS,
  type ModelVersionRegistry,
  type ParamValue,
  type RegisteredModelVersion,
  type TrackedRun,
} from '../tracking/experiment-tracker';
import { fitWindowVae, type FitWindowVaeOptions, type FittedWindowVae } from './fit-window-vae';
import type { EpochLog } from './vae-trainer';

export class TrainingCancelledError extends Error {
  override readonly name = 'TrainingCancelledError';
  readonly retriable = false;
}

export interface ModelEvaluation {
  metrics: Record<string, number>;
  /** Extra files written into the model folder before it is registered (e.g. held-out calibration scores). */
  files?: Record<string, string>;
}

export interface TrainAndRegisterOptions {
  /** Registered model name (a plain folder name). */
  name: string;
  fit: FitWindowVaeOptions;
  /** Manifest fields the caller knows (kind, data description, calibration, extra). */
  manifest: Omit<ManifestInput, 'name' | 'hyperParameters' | 'training' | 'metrics'> & { metrics?: Record<string, number> };
  tracker: ExperimentTracker;
  registry: ModelVersionRegistry;
  /** Defaults to the model name. */
  experiment?: string;
  runName?: string;
  tags?: Record<string, string>;
  /** Held-out evaluation of the fitted model; its metrics go to the run, the manifest and the result. */
  evaluate?: (model: VaeWindowModel) => ModelEvaluation | Promise<ModelEvaluation>;
  /** Parent folder for the model folder written before registering; a temp folder when omitted. */
  workDir?: string;
  /** Make the new version the live one right away (CLI, eval scripts); the trainer decides itself. */
  promote?: boolean;
  shouldCancel?: () => boolean;
  onEpoch?: (log: EpochLog, epochs: number) => void;
}

export interface TrainAndRegisterResult {
  fitted: FittedWindowVae;
  manifest: ModelManifest;
  modelDir: string;
  run: TrackedRun;
  version: RegisteredModelVersion;
  metrics: Record<string, number>;
  promoted: boolean;
}

/** Flat, string-valued parameters as MLflow stores them (nested options as JSON). */
function flattenParams(values: Record<string, unknown>, prefix = ''): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || typeof value === 'function') continue;
    const name = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flattenParams(value as Record<string, unknown>, `${name}.`));
    else out[name] = typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}

export async function trainAndRegister(options: TrainAndRegisterOptions): Promise<TrainAndRegisterResult> {
  const run = await options.tracker.startRun({
    experiment: options.experiment ?? options.name,
    runName: options.runName,
    tags: { 'vigil.model': options.name, ...options.tags },
  });
  try {
    const epochs = options.fit.training?.epochs;
    const fitted = fitWindowVae({
      ...options.fit,
      training: {
        ...options.fit.training,
        onEpochEnd: (log) => {
          options.fit.training?.onEpochEnd?.(log);
          options.onEpoch?.(log, epochs ?? log.epoch + 1);
          if (options.shouldCancel?.()) throw new TrainingCancelledError(`training of ${options.name} cancelled after epoch ${log.epoch}`);
        },
      },
    });
    try {
      return await finish(options, run, fitted);
    } catch (error) {
      fitted.model.vae.dispose();
      throw error;
    }
  } catch (error) {
    await run.end(error instanceof TrainingCancelledError ? 'KILLED' : 'FAILED');
    throw error;
  }
}

async function finish(options: TrainAndRegisterOptions, run: TrackedRun, fitted: FittedWindowVae): Promise<TrainAndRegisterResult> {
  const { model, result, trainingOptions } = fitted;
  await run.logParams(
    flattenParams({ ...trainingOptions, validation: undefined, onEpochEnd: undefined, model: model.vae.config, windows: options.fit.windows.batch }),
  );
  for (const log of result.history) {
    await run.logMetrics(
      { loss: log.loss, reconstruction: log.reconstruction, kl: log.kl, klWeight: log.klWeight, validationLoss: log.validationLoss, epochSeconds: log.seconds },
      log.epoch,
    );
  }
  const evaluation = options.evaluate ? await options.evaluate(model) : { metrics: {} };
  const metrics = {
    ...options.manifest.metrics,
    bestEpoch: result.bestEpoch,
    bestValidationLoss: result.bestValidationLoss,
    trainWindows: result.trainWindows,
    validationWindows: result.validationWindows,
    ...evaluation.metrics,
  };
  await run.logMetrics(metrics, result.history.length);

  const modelDir = join(options.workDir ?? (await mkdtemp(join(tmpdir(), 'vigil-model-'))), `${options.name}-${run.runId}`);
  const manifest = await writeWindowModel(modelDir, model, {
    ...options.manifest,
    name: options.name,
    version: 'candidate',
    hyperParameters: flattenParams({ ...trainingOptions, validation: undefined, onEpochEnd: undefined }),
    training: trainingSummary(result),
    metrics,
    extra: { ...options.manifest.extra, runId: run.runId, tracker: options.tracker.kind },
  });
  for (const [file, content] of Object.entries(evaluation.files ?? {})) await writeFile(join(modelDir, file), content);
  await run.logArtifact(join(modelDir, MANIFEST_FILE), MANIFEST_FILE);

  const version = await options.registry.register({ name: options.name, modelDir, run, tags: { runId: run.runId } });
  await run.setTags({ 'vigil.registeredVersion': version.version });
  if (options.promote) await options.registry.setAlias(options.name, LIVE_ALIAS, version.version);
  await run.end('FINISHED');
  return { fitted, manifest, modelDir, run, version, metrics, promoted: options.promote ?? false };
}

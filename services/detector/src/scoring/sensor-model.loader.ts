/**
 * Loads the sensor model the detector serves as a scorer, with the calibration scores its thresholds start
 * from. `dir` is either one model version (holds model.json) or a model's folder in the registry, in which case
 * the newest version is served.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { sensorHealthConfig, type SensorHealthConfig, sensorWindowScorer } from '@vigil/detection';
import {
  CALIBRATION_SCORES_FILE,
  loadWindowModel,
  MANIFEST_FILE,
  ModelRegistry,
  type OnnxSessionHost,
  OnnxVaeWindowRuntime,
  readCalibrationScores,
  readSensorHealthFile,
  type WindowModel,
} from '@vigil/ml';
import type { LoadedScorer } from './model-holder';

export interface SensorModel {
  model: WindowModel;
  /** Scores of held-out normal windows: the SPOT warm-up sample. */
  calibrationScores: ArrayLike<number>;
  /** Sensor-health rules for the model's channels. */
  health?: SensorHealthConfig;
  /** The model served in ONNX Runtime, when chosen. */
  onnx?: OnnxVaeWindowRuntime;
}

/** Where a served model runs its inference pass (DETECTOR_INFERENCE_RUNTIME, DETECTOR_MULTIMODAL_INFERENCE_RUNTIME). */
export type ServingRuntime = 'onnxruntime' | 'tfjs';

/** The version folder to serve: `dir` itself, or the newest version of the registry model at `dir`. */
export async function resolveModelDir(dir: string): Promise<string> {
  return existsSync(join(dir, MANIFEST_FILE)) ? dir : new ModelRegistry(dirname(dir)).latest(basename(dir));
}

/** `host`: where its ONNX session runs (DETECTOR_ONNX_SESSION_HOST; `worker` off the event loop). */
export async function loadSensorModel(versionDir: string, runtime: ServingRuntime = 'tfjs', host: OnnxSessionHost = 'in-thread'): Promise<SensorModel> {
  const { model } = await loadWindowModel(versionDir);
  return {
    model,
    calibrationScores: await requireCalibrationScores(versionDir),
    health: await readSensorHealth(versionDir, model.channelNames),
    ...(runtime === 'onnxruntime' ? { onnx: await OnnxVaeWindowRuntime.create(model, { host }) } : {}),
  };
}

export function sensorScorer(loaded: SensorModel, source: string): LoadedScorer {
  return { scorer: sensorWindowScorer(loaded.model, loaded.health, loaded.onnx), source, calibrationScores: loaded.calibrationScores };
}

/**
 * The model's sensor-health rules (`sensor-health.json`, `SensorHealthConfig` of @vigil/detection as JSON), or,
 * without that file, the checks that need no limits (stuck and dropped-out channels) on every channel the model reads.
 */
export async function readSensorHealth(versionDir: string, channelNames: readonly string[]): Promise<SensorHealthConfig> {
  const rules = await readSensorHealthFile(versionDir);
  if (rules === undefined) return sensorHealthConfig({ channels: Object.fromEntries(channelNames.map((c) => [c, {}])) });
  return sensorHealthConfig(JSON.parse(rules) as Parameters<typeof sensorHealthConfig>[0]);
}

/** The held-out normal scores a served model's thresholds start from (any modality's model): required, ≥ 100. */
export async function requireCalibrationScores(versionDir: string): Promise<number[]> {
  const scores = await readCalibrationScores(versionDir);
  if (scores === undefined)
    throw new Error(`${versionDir} has no ${CALIBRATION_SCORES_FILE}: the detector needs held-out normal scores to start its thresholds`);
  if (!Array.isArray(scores) || scores.length < 100)
    throw new Error(`${join(versionDir, CALIBRATION_SCORES_FILE)}: need at least 100 calibration scores, found ${scores?.length ?? 0}`);
  return scores;
}

/**
 * Loads the vision model the detector serves as its `IMAGE` scorer (DETECTOR_IMAGE_MODEL_DIR; `none` means no
 * image scorer), with the held-out normal scores its per-device thresholds start from: the conv VAE of
 * models/thermal-conv-vae for the simulator's thermal frames (on ONNX Runtime or tfjs-node,
 * DETECTOR_IMAGE_INFERENCE_RUNTIME), or a feature-VAE folder for camera frames (backbone + heads on ONNX Runtime,
 * the backbone read from DETECTOR_VISION_CACHE_DIR). The model folder is one version: it is loaded at start and
 * not hot-swapped (the model watcher swaps the sensor model's registry versions).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { imageWindowScorer } from '@vigil/detection';
import type { OnnxSessionHost } from '@vigil/ml';
import { cacheDirFrom, decodeEncodedFrame, imageFrameInput, loadLiveVisionModel, visionScoringModel } from '@vigil/vision';
import type { LoadedScorer } from './model-holder';
import { requireCalibrationScores, type ServingRuntime } from './sensor-model.loader';

/** The vision model folder to serve, or undefined for `none`. */
export function resolveImageModelDir(dir: string): string | undefined {
  if (dir === 'none') return undefined;
  if (!existsSync(join(dir, 'manifest.json')))
    throw new Error(`DETECTOR_IMAGE_MODEL_DIR=${dir} holds no vision model (manifest.json); use none to serve no image scorer`);
  return dir;
}

/** `host`: where the model's ONNX sessions run (DETECTOR_ONNX_SESSION_HOST): conv VAE, or feature backbone and heads. */
export async function loadImageScorer(
  dir: string,
  runtime: ServingRuntime = 'onnxruntime',
  cacheDir = cacheDirFrom({}),
  host: OnnxSessionHost = 'in-thread',
): Promise<LoadedScorer> {
  // Checked first: a model without calibration scores would load its backbone for nothing.
  const calibrationScores = await requireCalibrationScores(dir);
  const model = visionScoringModel(await loadLiveVisionModel(dir, { runtime, cacheDir, host }));
  const { manifest } = model;
  const scorer = imageWindowScorer(model, {
    mapSize: manifest.mapSize,
    input: (frame) => imageFrameInput(frame, manifest),
    decode: (frame) => decodeEncodedFrame(frame, manifest),
  });
  return { scorer, source: dir, calibrationScores };
}

/**
 * Loads the multimodal VAE the detector serves as its `FUSED` scorer, with its held-out normal scores and the
 * frame shapes it was trained on (its manifest's metadata). `dir` is one version folder or a registry model
 * folder (newest version served); `none` means no fused model.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { multimodalFrameShapes, multimodalWindowScorer } from '@vigil/detection';
import { loadMultimodalModel, MULTIMODAL_MODEL_FILE, ModelRegistry, multimodalScoringModel, OnnxMultimodalRuntime, type OnnxSessionHost } from '@vigil/ml';
import type { LoadedScorer } from './model-holder';
import { requireCalibrationScores, type ServingRuntime } from './sensor-model.loader';

export async function resolveMultimodalDir(dir: string): Promise<string | undefined> {
  if (dir === 'none') return undefined;
  if (existsSync(join(dir, MULTIMODAL_MODEL_FILE))) return dir;
  return new ModelRegistry(dirname(dir)).latest(basename(dir));
}

/**
 * `runtime`: where the model's inference pass runs (DETECTOR_MULTIMODAL_INFERENCE_RUNTIME). `onnxruntime` exports its parts and serves them in
 * ONNX Runtime — `npm run bench:ml-runtime` measures 25–50× less per call than tfjs-node for these small
 * conv/dense graphs; tfjs stays for models ONNX serving does not cover (MoE fusion). `host`: where its two ONNX
 * sessions run (DETECTOR_ONNX_SESSION_HOST).
 */
export async function loadMultimodalScorer(versionDir: string, runtime: ServingRuntime = 'tfjs', host: OnnxSessionHost = 'in-thread'): Promise<LoadedScorer> {
  const manifest = JSON.parse(await readFile(join(versionDir, MULTIMODAL_MODEL_FILE), 'utf8')) as { metadata?: unknown };
  const window = await loadMultimodalModel(versionDir);
  const { shapes } = multimodalFrameShapes(window.vae.config, manifest.metadata, versionDir);
  const onnx = runtime === 'onnxruntime' && window.vae.config.fusion === 'poe' ? await OnnxMultimodalRuntime.create(window.vae, { host }) : undefined;
  const model = multimodalScoringModel(window, onnx);
  return { scorer: multimodalWindowScorer(model, shapes), source: versionDir, calibrationScores: await requireCalibrationScores(versionDir) };
}

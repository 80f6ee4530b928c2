/**
 * Loads the multimodal VAE the detector serves as its `FUSED` scorer, with its held-out normal scores and the
 * frame shapes it was trained on (its manifest's metadata). `dir` is one version folder or a registry model
 * folder (newest version served); `none` means no fused model.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { type MultimodalFrameShapes, multimodalWindowScorer } from '@vigil/detection';
import { loadMultimodalModel, MULTIMODAL_MODEL_FILE, ModelRegistry, multimodalInputShape, multimodalScoringModel, OnnxMultimodalRuntime } from '@vigil/ml';
import { z } from 'zod';
import type { LoadedScorer } from './model-holder';
import { readCalibrationScores, type ServingRuntime } from './sensor-model.loader';

/** What the detector reads of the manifest's metadata (written by libs/ml/eval/multimodal.train.ts). */
const frameMetadata = z.object({
  features: z.object({
    sensor: z.object({ channels: z.array(z.string()).min(1) }),
    audio: z.object({ sampleRate: z.number().positive() }),
    image: z.object({ overdueAfterMs: z.number().positive() }),
  }),
});

export async function resolveMultimodalDir(dir: string): Promise<string | undefined> {
  if (dir === 'none') return undefined;
  if (existsSync(join(dir, MULTIMODAL_MODEL_FILE))) return dir;
  return new ModelRegistry(dirname(dir)).latest(basename(dir));
}

/**
 * `runtime`: where the model's inference pass runs (DETECTOR_MULTIMODAL_INFERENCE_RUNTIME). `onnxruntime` exports its parts and serves them in
 * ONNX Runtime — `npm run bench:ml-runtime` measures 25–50× less per call than tfjs-node for these small
 * conv/dense graphs; tfjs stays for models ONNX serving does not cover (MoE fusion).
 */
export async function loadMultimodalScorer(versionDir: string, runtime: ServingRuntime = 'tfjs'): Promise<LoadedScorer> {
  const manifest = JSON.parse(await readFile(join(versionDir, MULTIMODAL_MODEL_FILE), 'utf8')) as { metadata?: unknown };
  const parsed = frameMetadata.safeParse(manifest.metadata);
  if (!parsed.success)
    throw new Error(`${versionDir}: model metadata lacks the frame shapes (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  const window = await loadMultimodalModel(versionDir);
  const onnx = runtime === 'onnxruntime' && window.vae.config.fusion === 'poe' ? await OnnxMultimodalRuntime.create(window.vae) : undefined;
  const model = multimodalScoringModel(window, onnx);
  const config = model.multimodal.vae.config;
  const [steps] = multimodalInputShape(config, 'sensor');
  const [frames, mels] = multimodalInputShape(config, 'audio');
  const [height, width, channels] = multimodalInputShape(config, 'image');
  const { features } = parsed.data;
  const shapes: MultimodalFrameShapes = {
    sensor: { channels: features.sensor.channels, steps: steps! },
    audio: { sampleRate: features.audio.sampleRate, frames: frames!, mels: mels! },
    image: { height: height!, width: width!, channels: channels!, overdueAfterMs: features.image.overdueAfterMs },
  };
  return { scorer: multimodalWindowScorer(model, shapes), source: versionDir, calibrationScores: await readCalibrationScores(versionDir) };
}

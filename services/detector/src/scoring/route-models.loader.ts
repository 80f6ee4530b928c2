/**
 * The scorers of the fleet's device routes (DETECTOR_DEVICE_ROUTES): each route's model folders loaded like the
 * default ones, by what the folder holds — a vision model (`manifest.json`), a time-series VAE (`model.json` of
 * format `vigil-window-model`, or a registry folder of them: newest version), an audio VAE (a window model of
 * kind `audio-vae`: the `AUDIO` scorer) or a multimodal VAE — and tagged
 * with the route, so they serve its devices only (model-holder.ts). Routes are loaded at start-up and not
 * hot-swapped: the model watcher swaps the default sensor model.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceRoute } from '@vigil/detection';
import { MANIFEST_FILE } from '@vigil/ml';
import type { DetectorConfig } from '../config/detector.config';
import { loadAudioScorer } from './audio-model.loader';
import { loadImageScorer } from './image-model.loader';
import type { LoadedScorer } from './model-holder';
import { loadMultimodalScorer } from './multimodal-model.loader';
import { loadSensorModel, resolveModelDir, sensorScorer } from './sensor-model.loader';

export async function loadRouteScorers(routes: readonly DeviceRoute[], cfg: DetectorConfig): Promise<LoadedScorer[]> {
  const loaded: LoadedScorer[] = [];
  for (const route of routes) {
    const modalities = new Set<string>();
    for (const dir of route.modelDirs) {
      // A registry folder (versions below it) is watched like the default model's: newer versions are swapped in.
      const registry = { latest: () => versionFolder(dir), load: (v: string) => loadModelFolder(v, cfg) };
      const scorer = { ...(await registry.load(await registry.latest())), route, registry };
      if (modalities.has(scorer.scorer.modality))
        throw new Error(`device route ${route.name}: two ${scorer.scorer.modality} models (${route.modelDirs.join(', ')}); a route serves one per modality`);
      modalities.add(scorer.scorer.modality);
      loaded.push(scorer);
    }
  }
  return loaded;
}

/** The version folder a route's folder serves now: itself (a vision model, or one version), else the registry's newest. */
async function versionFolder(dir: string): Promise<string> {
  return existsSync(join(dir, 'manifest.json')) ? dir : resolveModelDir(dir);
}

async function loadModelFolder(versionDir: string, cfg: DetectorConfig): Promise<LoadedScorer> {
  if (existsSync(join(versionDir, 'manifest.json')))
    return loadImageScorer(versionDir, cfg.DETECTOR_IMAGE_INFERENCE_RUNTIME, cfg.DETECTOR_VISION_CACHE_DIR, cfg.DETECTOR_ONNX_SESSION_HOST);
  const manifest = JSON.parse(await readFile(join(versionDir, MANIFEST_FILE), 'utf8')) as { format?: string; kind?: string };
  if (manifest.format === 'vigil-window-model' && manifest.kind === 'audio-vae')
    return loadAudioScorer(versionDir, cfg.DETECTOR_WINDOW_MS, cfg.DETECTOR_INFERENCE_RUNTIME, cfg.DETECTOR_ONNX_SESSION_HOST);
  if (manifest.format === 'vigil-window-model')
    return sensorScorer(await loadSensorModel(versionDir, cfg.DETECTOR_INFERENCE_RUNTIME, cfg.DETECTOR_ONNX_SESSION_HOST), versionDir);
  return loadMultimodalScorer(versionDir, cfg.DETECTOR_MULTIMODAL_INFERENCE_RUNTIME, cfg.DETECTOR_ONNX_SESSION_HOST);
}

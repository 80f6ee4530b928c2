/**
 * Saves and loads a `MultimodalWindowModel` as a folder: `model.json` (config, scalers, calibration, the weight
 * manifest) and `weights.bin` (every weight as little-endian float32, in `MultimodalVae.parts` order).
 *
 * @example
 *   await saveMultimodalModel(model, 'models/multimodal-pump/v1', { data: 'simulator seed 11' });
 *   const loaded = await loadMultimodalModel('models/multimodal-pump/v1');
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '../../runtime';
import { ChannelScaler, type ChannelScalerState } from '../channel-scaler';
import { MultimodalVae } from './multimodal-vae';
import { type MultimodalCalibration, type MultimodalScalers, MultimodalWindowModel } from './multimodal-window-model';
import type { ModalityName, MultimodalVaeConfig } from './types';

export const MULTIMODAL_MODEL_FILE = 'model.json';
export const MULTIMODAL_WEIGHTS_FILE = 'weights.bin';
export const MULTIMODAL_MODEL_KIND = 'multimodal-vae';

export interface MultimodalModelManifest {
  kind: typeof MULTIMODAL_MODEL_KIND;
  formatVersion: 1;
  version: string;
  config: MultimodalVaeConfig;
  scalers: Partial<Record<ModalityName, ChannelScalerState>>;
  calibration: MultimodalCalibration;
  weights: { shape: number[] }[];
  /** Free-form provenance and metrics (data, training summary, evaluation). */
  metadata: Record<string, unknown>;
}

export async function saveMultimodalModel(model: MultimodalWindowModel, dir: string, metadata: Record<string, unknown> = {}): Promise<MultimodalModelManifest> {
  await mkdir(dir, { recursive: true });
  const tensors = model.vae.getWeights();
  const arrays = tensors.map((t) => t.dataSync() as Float32Array);
  const manifest: MultimodalModelManifest = {
    kind: MULTIMODAL_MODEL_KIND,
    formatVersion: 1,
    version: model.version,
    config: model.vae.config,
    scalers: Object.fromEntries(model.modalities.map((m) => [m, model.scalers[m].toState()])),
    calibration: model.calibration,
    weights: tensors.map((t) => ({ shape: [...t.shape] })),
    metadata,
  };
  tf.dispose(tensors);
  const bytes = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    bytes.set(a, offset);
    offset += a.length;
  }
  await writeFile(join(dir, MULTIMODAL_WEIGHTS_FILE), new Uint8Array(bytes.buffer));
  await writeFile(join(dir, MULTIMODAL_MODEL_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export async function loadMultimodalModel(dir: string): Promise<MultimodalWindowModel> {
  const manifest = JSON.parse(await readFile(join(dir, MULTIMODAL_MODEL_FILE), 'utf8')) as MultimodalModelManifest;
  if (manifest.kind !== MULTIMODAL_MODEL_KIND || manifest.formatVersion !== 1) throw new Error(`${dir}: not a multimodal VAE (kind ${manifest.kind}, format ${manifest.formatVersion})`);
  const raw = await readFile(join(dir, MULTIMODAL_WEIGHTS_FILE));
  const floats = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const vae = MultimodalVae.create(manifest.config);
  let offset = 0;
  const tensors = manifest.weights.map(({ shape }) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(floats.subarray(offset, offset + size), shape);
    offset += size;
    return t;
  });
  if (offset !== floats.length) throw new Error(`${dir}: weights.bin holds ${floats.length} floats, the manifest names ${offset}`);
  vae.setWeights(tensors);
  tf.dispose(tensors);
  const scalers = Object.fromEntries(vae.config.modalities.map((m) => [m, ChannelScaler.fromState(manifest.scalers[m]!)])) as MultimodalScalers;
  return new MultimodalWindowModel(vae, scalers, manifest.calibration, manifest.version);
}

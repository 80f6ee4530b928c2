/**
 * The model registry on disk: `<root>/<name>/v<N>/` holds `model.json` (manifest), `weights.bin` (float32,
 * little-endian, in manifest order) and `MODEL_CARD.md`. Versions only grow; nothing is overwritten.
 * `loadWindowModel(dir)` restores a `VaeWindowModel` from one version folder — the detector's way in.
 *
 * @example
 *   const registry = new ModelRegistry('models');
 *   const dir = await registry.save(model, { name: 'cmapss-fd001-cnn', ... });   // models/cmapss-fd001-cnn/v1
 *   const { model, manifest } = await loadWindowModel(await registry.latest('cmapss-fd001-cnn'));
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ChannelScaler } from '../models/channel-scaler';
import { TimeSeriesVae } from '../models/timeseries-vae/timeseries-vae';
import { VaeWindowModel } from '../models/vae-window-model';
import { tf } from '../runtime';
import { MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, ModelManifestError, parseManifest, WEIGHTS_FILE, type ModelManifest } from './model-manifest';

/** Everything in the manifest that the registry cannot derive from the model itself. */
export type ManifestInput = Omit<ModelManifest, 'format' | 'formatVersion' | 'version' | 'createdAt' | 'config' | 'channelNames' | 'scaler' | 'weights'> & {
  createdAt?: string;
};

const VERSION_PATTERN = /^v(\d+)$/;

/** Writes one model into `dir` (created if needed). Returns the manifest written. */
export async function writeWindowModel(dir: string, model: VaeWindowModel, input: ManifestInput & { version: string }): Promise<ModelManifest> {
  const weights = model.vae.weights;
  const manifest: ModelManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    ...input,
    createdAt: input.createdAt ?? new Date().toISOString(),
    config: model.vae.config,
    channelNames: [...model.channelNames],
    scaler: model.scaler.toState(),
    weights: weights.map((w) => ({ name: w.name, shape: w.shape })),
  };
  const total = weights.reduce((sum, w) => sum + w.tensor.size, 0);
  const buffer = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    buffer.set(w.tensor.dataSync() as Float32Array, offset);
    offset += w.tensor.size;
  }
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, WEIGHTS_FILE), new Uint8Array(buffer.buffer));
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
  return manifest;
}

export async function readManifest(dir: string): Promise<ModelManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new ModelManifestError(`${dir} is not a model folder (no ${MANIFEST_FILE})`);
  return parseManifest(JSON.parse(await readFile(file, 'utf8')), file);
}

/** Restores the model saved in `dir`: architecture from the config, then weights, scaler and names. */
export async function loadWindowModel(dir: string): Promise<{ model: VaeWindowModel; manifest: ModelManifest }> {
  const manifest = await readManifest(dir);
  const bytes = await readFile(path.join(dir, WEIGHTS_FILE));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const vae = TimeSeriesVae.create(manifest.config);
  try {
    const expected = vae.weights;
    if (expected.length !== manifest.weights.length) {
      throw new ModelManifestError(`${dir}: manifest lists ${manifest.weights.length} weights, the architecture has ${expected.length}`);
    }
    let offset = 0;
    const tensors = manifest.weights.map((w, i) => {
      const shape = expected[i]!.shape;
      if (shape.join('x') !== w.shape.join('x')) throw new ModelManifestError(`${dir}: weight ${i} (${w.name}) is [${w.shape}], model needs [${shape}]`);
      const size = shape.reduce((a, b) => a * b, 1);
      const t = tf.tensor(values.subarray(offset, offset + size), shape);
      offset += size;
      return t;
    });
    if (offset !== values.length) throw new ModelManifestError(`${dir}: ${WEIGHTS_FILE} holds ${values.length} values, manifest needs ${offset}`);
    vae.setWeights(tensors);
    tf.dispose(tensors);
  } catch (error) {
    vae.dispose();
    throw error;
  }
  const model = new VaeWindowModel(vae, ChannelScaler.fromState(manifest.scaler), manifest.channelNames, `${manifest.name}@${manifest.version}`);
  return { model, manifest };
}

export class ModelRegistry {
  constructor(readonly root: string) {}

  /** Versions of `name`, oldest first (`v1`, `v2`, …). */
  async versions(name: string): Promise<string[]> {
    const dir = path.join(this.root, name);
    if (!existsSync(dir)) return [];
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory() && VERSION_PATTERN.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => Number(VERSION_PATTERN.exec(a)![1]) - Number(VERSION_PATTERN.exec(b)![1]));
  }

  /** Folder of the newest version of `name`. */
  async latest(name: string): Promise<string> {
    const versions = await this.versions(name);
    const newest = versions.at(-1);
    if (!newest) throw new ModelManifestError(`no versions of "${name}" under ${this.root}`);
    return path.join(this.root, name, newest);
  }

  /** Saves `model` as the next version of `input.name`; returns its folder. */
  async save(model: VaeWindowModel, input: ManifestInput): Promise<{ dir: string; manifest: ModelManifest }> {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(input.name)) throw new ModelManifestError(`model name "${input.name}" must be a plain folder name`);
    const versions = await this.versions(input.name);
    const next = versions.length === 0 ? 1 : Number(VERSION_PATTERN.exec(versions.at(-1)!)![1]) + 1;
    const version = `v${next}`;
    const dir = path.join(this.root, input.name, version);
    const manifest = await writeWindowModel(dir, model, { ...input, version });
    return { dir, manifest };
  }
}

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelScaler } from '../models/channel-scaler';
import { TimeSeriesVae } from '../models/timeseries-vae/timeseries-vae';
import type { EncoderKind } from '../models/timeseries-vae/types';
import { VaeWindowModel } from '../models/vae-window-model';
import { dataFingerprint } from './data-fingerprint';
import { MANIFEST_FILE, ModelManifestError } from './model-manifest';
import { loadWindowModel, type ManifestInput, ModelRegistry } from './model-registry';

const STEPS = 12;
const CHANNELS = 2;

function windows(count: number): Float32Array {
  return Float32Array.from({ length: count * STEPS * CHANNELS }, (_, i) => 10 + Math.sin(i * 0.37) * (1 + (i % CHANNELS)));
}

function manifestInput(name: string): ManifestInput {
  return {
    kind: 'timeseries-vae',
    name,
    data: { fingerprint: dataFingerprint([windows(4)]), source: 'unit test', windows: 4, steps: STEPS, stride: 1 },
    calibration: { method: 'percentile', threshold: 0.5, parameters: { percentile: 0.99 }, scoreCount: 4 },
    hyperParameters: { epochs: 0 },
    training: { epochs: 0, bestEpoch: 0, stoppedEarly: false, seconds: 0, history: [] },
    metrics: { rocAuc: 0.9 },
  };
}

describe('ModelRegistry', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'vigil-registry-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it.each<EncoderKind>(['cnn', 'transformer'])('restores a %s model that scores exactly like the original', async (encoder) => {
    const data = windows(6);
    const original = new VaeWindowModel(
      TimeSeriesVae.create({ steps: STEPS, channels: CHANNELS, latentDim: 3, encoder }),
      ChannelScaler.fit(data, CHANNELS),
      ['p', 'q'],
      'x',
    );
    const registry = new ModelRegistry(root);
    const first = await registry.save(original, manifestInput('pump'));
    const second = await registry.save(original, manifestInput('pump'));
    expect(path.relative(root, first.dir)).toBe(path.join('pump', 'v1'));
    expect(path.relative(root, second.dir)).toBe(path.join('pump', 'v2'));
    expect(await registry.versions('pump')).toEqual(['v1', 'v2']);

    const { model, manifest } = await loadWindowModel(await registry.latest('pump'));
    const batch = { data, batch: 6, steps: STEPS, channels: CHANNELS };
    expect(Array.from(model.score(batch))).toEqual(Array.from(original.score(batch)));
    expect(Array.from(model.encode(batch).mean)).toEqual(Array.from(original.encode(batch).mean));
    expect(model.version).toBe('pump@v2');
    expect(model.channelNames).toEqual(['p', 'q']);
    expect(manifest.calibration?.threshold).toBe(0.5);
    expect(manifest.data.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    model.dispose();
    original.dispose();
  });

  it('rejects folders that are not models or whose weights do not fit', async () => {
    await expect(loadWindowModel(root)).rejects.toThrow(ModelManifestError);
    const model = new VaeWindowModel(TimeSeriesVae.create({ steps: STEPS, channels: CHANNELS }), ChannelScaler.fit(windows(2), CHANNELS), ['p', 'q'], 'x');
    const { dir } = await new ModelRegistry(root).save(model, manifestInput('valve'));
    model.dispose();
    const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    manifest.config.latentDim = 5;
    await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
    await expect(loadWindowModel(dir)).rejects.toThrow(/weight \d+ .* is \[/);
    await expect(new ModelRegistry(root).save(model, manifestInput('../escape'))).rejects.toThrow(/plain folder name/);
  });
});

describe('dataFingerprint', () => {
  it('changes with the values and with the shape', () => {
    const a = Float32Array.of(1, 2, 3, 4);
    expect(dataFingerprint([a], { steps: 2 })).toBe(dataFingerprint([Float32Array.of(1, 2, 3, 4)], { steps: 2 }));
    expect(dataFingerprint([a], { steps: 2 })).not.toBe(dataFingerprint([Float32Array.of(1, 2, 3, 5)], { steps: 2 }));
    expect(dataFingerprint([a], { steps: 2 })).not.toBe(dataFingerprint([a], { steps: 4 }));
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FloatImage } from '@vigil/datasets';
import { seededRandom } from '@vigil/features';
import { tf } from '@vigil/ml';
import { defaultCacheDir } from '../../../scripts/provision-backbone';
import { backboneFiles } from '../../backbone/backbone-files';
import { topKMean } from '../../maps/anomaly-map';
import { loadVisionModel } from '../load-vision-model';
import { decodeForModel } from '../../evaluation/mvtec-evaluation';
import { decodeEncodedFrame, imageFrameInput } from '../../live/image-frame-input';
import { visionScoringModel } from '../../live/vision-scoring-model';
import { BackboneMismatchError, type GaussianVisionModel, trainGaussianModel } from './gaussian-model';

const SIZE = 96;

/** Grey "tiles" (values 0..1, as decoded) with mild noise, optionally a bright square at (row, col) pixels. */
function tile(seed: number, spot?: [number, number]): FloatImage {
  const random = seededRandom(seed);
  const data = new Float32Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const hot = spot && Math.abs(y - spot[0]) < 6 && Math.abs(x - spot[1]) < 6 ? 0.45 : 0;
      const v = 0.45 + 0.1 * Math.sin(x / 5) + random.normal(0, 0.025) + hot;
      data.set([v, v, v], (y * SIZE + x) * 3);
    }
  return { data, height: SIZE, width: SIZE, channels: 3 };
}

async function* batches(): AsyncGenerator<FloatImage[]> {
  for (let b = 0; b < 8; b++) yield Array.from({ length: 8 }, (_, k) => tile(100 + b * 8 + k));
}

// Needs the converted backbone (`npm run provision:backbone -w libs/vision`, part of the project's set-up).
describe.skipIf(!existsSync(backboneFiles(defaultCacheDir()).onnx))('multi-size Gaussian + feature VAE model', () => {
  it('peaks over a synthetic hot spot, survives save/load, and leaks no tensors', async () => {
    const tensors = tf.memory().numTensors;
    const model = await trainGaussianModel({
      cacheDir: defaultCacheDir(),
      data: 'synthetic',
      batches: batches(),
      settings: { sizes: [64, 96], dims: 12, sigma: 0.5 },
      featureVae: { epochs: 3, patchesPerEpoch: 4096, hidden: 16, latent: 4 },
      threads: 1,
    });
    expect(model.manifest.kind).toBe('feature-vae');
    expect(model.manifest.mapSize).toEqual([8, 8]);
    const [hot, normal] = await model.score([tile(1, [66, 18]), tile(2)]);
    const peak = hot!.map.indexOf(Math.max(...hot!.map));
    // Pixel (66, 18) of the 96-px tile is the centre of cell (5, 1) of the map (the 64-px scale's 8×8 grid).
    expect(Math.max(Math.abs(Math.floor(peak / 8) - 5), Math.abs((peak % 8) - 1))).toBeLessThanOrEqual(1);
    expect(hot!.score).toBeGreaterThan(normal!.score);

    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-fvae-'));
    try {
      // A stale model of another input size in the folder is cleared by the save; other files stay.
      writeFileSync(path.join(dir, 'gaussian-head-320.onnx'), 'stale');
      mkdirSync(path.join(dir, 'feature-vae-320'));
      writeFileSync(path.join(dir, 'notes.txt'), 'kept');
      await model.save(dir);
      expect(readdirSync(dir).sort()).toEqual(['feature-vae-64', 'feature-vae-96', 'gaussian-head-64.onnx', 'gaussian-head-96.onnx', 'manifest.json', 'notes.txt']);
      const loaded = await loadVisionModel(dir, { cacheDir: defaultCacheDir(), threads: 1 });
      const [again] = await loaded.score([tile(1, [66, 18])]);
      expect(Math.max(...again!.map.map((v, i) => Math.abs(v - hot!.map[i]!)))).toBeLessThan(1e-3);
      // Served as the detector serves it: backbone and heads in the ONNX session worker thread, the same scores.
      const offThread = await loadVisionModel(dir, { cacheDir: defaultCacheDir(), threads: 1, host: 'worker' });
      const [inWorker] = await offThread.score([tile(1, [66, 18])]);
      expect(inWorker!.map).toEqual(again!.map);
      expect(inWorker!.score).toBe(again!.score);
      await offThread.dispose();
      // The live path (an encoded camera frame decoded at ingest, then the ScoringModel contract) scores what
      // `vigil vision score` and `evaluate` score from the same file: one decoding, the backbone's scaling inside the model.
      const png = await sharp(Buffer.from(Uint8Array.from(tile(3, [30, 60]).data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255))), {
        raw: { width: SIZE, height: SIZE, channels: 3 },
      })
        .png()
        .toBuffer();
      const [fromFile] = await loaded.score([await decodeForModel(loaded, png)]);
      const frame = await decodeEncodedFrame({ width: SIZE, height: SIZE, channels: 3, encoding: 'PNG', data: png }, loaded.manifest);
      const live = await visionScoringModel(loaded).assessAsync({ batch: 1, inputs: { image: imageFrameInput(frame, loaded.manifest)! } });
      expect(live.scores[0]).toBeCloseTo(fromFile!.score, 5);
      const gaussian = (loaded as GaussianVisionModel).asGaussian();
      const [viaGaussian] = await gaussian.score([tile(1, [66, 18])]);
      const gaussianPeak = viaGaussian!.map.indexOf(Math.max(...viaGaussian!.map));
      expect(Math.max(Math.abs(Math.floor(gaussianPeak / 8) - 5), Math.abs((gaussianPeak % 8) - 1))).toBeLessThanOrEqual(1);
      await loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The image score knob: the mean of the top k cells of the same map (the view takes over the sessions).
    const topK = model.withTopK(3);
    const [spread] = await topK.score([tile(1, [66, 18])]);
    expect(spread!.score).toBeCloseTo(topKMean(spread!.map, 3), 5);
    expect(spread!.score).toBeLessThan(hot!.score);
    await topK.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  }, 120_000);

  it('refuses a model fitted on another backbone’s features, naming both, instead of scoring it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'vigil-fvae-old-'));
    try {
      const manifest = { kind: 'gaussian', version: 'gaussian-old', inputSize: [64, 64], channels: 3, threshold: 1, mapSize: [8, 8], settings: { sizes: [64], dims: 12, scales: [{ size: 64, grid: [8, 8], normaliser: 1 }] } };
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
      await expect(loadVisionModel(dir, { cacheDir: defaultCacheDir() })).rejects.toThrow(BackboneMismatchError);
      writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ ...manifest, settings: { ...manifest.settings, backbone: 'efficientnet-lite0-0.1.0-f2bc3dd05dbc/pm127' } }));
      await expect(loadVisionModel(dir, { cacheDir: defaultCacheDir() })).rejects.toThrow(/fitted on efficientnet-lite0-0\.1\.0-f2bc3dd05dbc\/pm127 features; this build's backbone is efficientnet-lite2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

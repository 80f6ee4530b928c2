import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../onnx/onnx-parity.test-helpers';
import { loadWindowModel } from '../registry/model-registry';
import { OnnxVaeWindowRuntime } from './vae-window-onnx';

describe('OnnxVaeWindowRuntime (the committed sensor VAE in ONNX Runtime)', () => {
  it('gives VaeWindowModel.assess’s scores, latents and reconstructions within 1e-4', async () => {
    const { model } = await loadWindowModel(resolve(__dirname, '..', '..', '..', '..', 'models', 'sensor', 'pump-synthetic', 'v1'));
    const onnx = await OnnxVaeWindowRuntime.create(model);
    try {
      const random = seededRandom(3);
      const batch = 5;
      const size = model.steps * model.channels;
      const data = Float32Array.from({ length: batch * size }, (_, i) => model.scaler.mean[i % model.channels]! + model.scaler.std[i % model.channels]! * (2 * random() - 1));
      const x = { data, batch, steps: model.steps, channels: model.channels };
      const want = model.assess(x);
      const got = await onnx.assess(x);
      const close = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= 1e-4 * Math.max(1, Math.abs(v)));
      expect(close(want.scores, got.scores)).toBe(true);
      expect(close(want.latent.mean, got.latent.mean)).toBe(true);
      expect(close(want.latent.logVar, got.latent.logVar)).toBe(true);
      expect(close(want.reconstruction.data, got.reconstruction.data)).toBe(true);
    } finally {
      await onnx.dispose();
      model.dispose();
    }
  });

  it('gives the same assessment bit for bit from the ONNX session worker thread', async () => {
    const { model } = await loadWindowModel(resolve(__dirname, '..', '..', '..', '..', 'models', 'sensor', 'pump-synthetic', 'v1'));
    const [inThread, hosted] = await Promise.all([OnnxVaeWindowRuntime.create(model), OnnxVaeWindowRuntime.create(model, { host: 'worker' })]);
    try {
      const random = seededRandom(4);
      const batch = 3;
      const data = Float32Array.from({ length: batch * model.steps * model.channels }, (_, i) => model.scaler.mean[i % model.channels]! + model.scaler.std[i % model.channels]! * (2 * random() - 1));
      const x = { data, batch, steps: model.steps, channels: model.channels };
      expect(await hosted.assess(x)).toEqual(await inThread.assess(x));
    } finally {
      await Promise.all([inThread.dispose(), hosted.dispose()]);
      model.dispose();
    }
  });
});

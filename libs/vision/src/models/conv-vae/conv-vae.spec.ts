import { describe, expect, it } from 'vitest';
import { tf } from '@vigil/ml';
import { buildConvVae, convVaeLoss, reconstructionMaps, trainConvVae } from './conv-vae';
import { trainConvVaeModel } from './conv-vae.model';

const SIZE = 16;

/** Smooth synthetic "thermal" scenes: a warm blob whose position varies a little, seeded. */
function scenes(count: number, hotSpot = false): Float32Array {
  const out = new Float32Array(count * SIZE * SIZE);
  for (let n = 0; n < count; n++) {
    const cx = 7 + (n % 3) * 0.5;
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) {
        let v = 0.3 + 0.3 * Math.exp(-((x - cx) ** 2 + (y - 8) ** 2) / 20);
        if (hotSpot) v += 0.6 * Math.exp(-((x - 12) ** 2 + (y - 4) ** 2) / 1.5);
        out[n * SIZE * SIZE + y * SIZE + x] = Math.min(1, v);
      }
    }
  }
  return out;
}

describe('conv VAE', () => {
  it('does not leak tensors in loss, training step or scoring', () => {
    const vae = buildConvVae({ size: SIZE, latent: 4, seed: 1 });
    const before = tf.memory().numTensors;
    const batch = tf.tensor4d(scenes(4), [4, SIZE, SIZE, 1]);
    const noise = tf.zeros([4, 4]) as tf.Tensor2D;
    convVaeLoss(vae, batch, noise, { beta: 0.01, ssimWeight: 0.8 }).dispose();
    batch.dispose();
    noise.dispose();
    trainConvVae(vae, scenes(8), 8, { epochs: 1, beta: 0.01, ssimWeight: 0.8, seed: 1, batchSize: 4 });
    reconstructionMaps(vae, scenes(2), 2);
    expect(tf.memory().numTensors).toBe(before);
    vae.encoder.dispose();
    vae.decoder.dispose();
  });

  it('puts the anomaly map peak over a synthetic hot spot', async () => {
    const model = trainConvVaeModel(scenes(48), 48, { size: SIZE, latent: 4, epochs: 40, seed: 2, sigma: 0.5, data: 'synthetic' });
    const hot = { data: scenes(1, true), height: SIZE, width: SIZE, channels: 1 };
    const normal = { data: scenes(1), height: SIZE, width: SIZE, channels: 1 };
    const [hotScore, normalScore] = await model.score([hot, normal]);
    const peak = hotScore!.map.indexOf(Math.max(...hotScore!.map));
    const [py, px] = [Math.floor(peak / SIZE), peak % SIZE];
    expect(Math.hypot(py - 4, px - 12)).toBeLessThanOrEqual(2);
    expect(hotScore!.score).toBeGreaterThan(3 * normalScore!.score);
    expect(hotScore!.latent!.mean).toHaveLength(4);
    await model.dispose();
  });
});

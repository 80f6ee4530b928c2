/** A tiny, fast, seeded training set (two sine channels) for the tracking and trainAndRegister specs. */
import { seededRandom } from '@vigil/features';
import type { WindowBatch } from '../models/window-model';

export function sineWindows(seed: number, batch: number, steps = 16, noise = 0.05): WindowBatch {
  const random = seededRandom(seed);
  const data = new Float32Array(batch * steps * 2);
  for (let b = 0; b < batch; b++) {
    const phase = random.uniform() * 2 * Math.PI;
    for (let s = 0; s < steps; s++) {
      data[(b * steps + s) * 2] = Math.sin(phase + s / 3) + random.normal(0, noise);
      data[(b * steps + s) * 2 + 1] = Math.cos(phase + s / 3) + random.normal(0, noise);
    }
  }
  return { data, batch, steps, channels: 2 };
}

export const TINY_FIT = {
  channelNames: ['a', 'b'],
  model: { encoder: 'cnn' as const, latentDim: 2, hiddenUnits: 8, cnn: { filters: [4], kernelSize: 3 } },
  training: { epochs: 3, batchSize: 32, seed: 3 },
};

export const TINY_MANIFEST = {
  kind: 'timeseries-vae' as const,
  data: { fingerprint: 'sha256:test', source: 'sineWindows(1, 96)', windows: 96, steps: 16, stride: 16 },
};

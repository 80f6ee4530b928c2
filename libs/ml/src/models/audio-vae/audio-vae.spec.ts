import { mulberry32 } from '@vigil/features';
import { describe, expect, it, vi } from 'vitest';
import { tf } from '../../runtime';
import { fitWindowVae, scoreWindows } from '../../training/fit-window-vae';
import { audioVaeConfig, audioVaeModelOptions, melBandNames } from './audio-vae';

const FRAMES = 8;
const MELS = 16;

/** Log-mel-like windows: a smooth spectral envelope plus noise; the anomaly adds a narrow tonal peak. */
function windows(count: number, tone: boolean, seed: number) {
  let state = seed;
  const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const data = new Float32Array(count * FRAMES * MELS);
  for (let i = 0; i < data.length; i++) {
    const mel = i % MELS;
    data[i] = -20 - mel + 0.5 * (random() - 0.5) + (tone && mel === 11 ? 12 : 0);
  }
  return { data, batch: count, steps: FRAMES, channels: MELS };
}

describe('audio VAE', () => {
  it('maps frames and mels to steps and channels with audio defaults', () => {
    const config = audioVaeConfig({ frames: FRAMES, mels: MELS, latentDim: 4 });
    expect([config.steps, config.channels, config.latentDim, config.cnn.kernelSize]).toEqual([FRAMES, MELS, 4, 3]);
    expect(melBandNames(3)).toEqual(['mel_00', 'mel_01', 'mel_02']);
  });

  it('scores a tonal anomaly above normal frames after a short run, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    // tfjs seeds unseeded initialisers from Math.random: fixed here so the run is reproducible.
    const random = vi.spyOn(Math, 'random').mockImplementation(mulberry32(3));
    const { model } = fitWindowVae({
      windows: windows(192, false, 1),
      channelNames: melBandNames(MELS),
      model: audioVaeModelOptions({ latentDim: 4 }),
      training: { epochs: 6, batchSize: 64, seed: 2, earlyStopping: undefined, klAnnealing: { kind: 'linear', beta: 1, warmupEpochs: 2 } },
    });
    random.mockRestore();
    const normal = scoreWindows(model, windows(32, false, 3));
    const tonal = scoreWindows(model, windows(32, true, 4));
    expect(Math.min(...tonal)).toBeGreaterThan(Math.max(...normal));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

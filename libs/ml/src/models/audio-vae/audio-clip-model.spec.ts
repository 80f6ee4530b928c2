import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWindowModel } from '../../registry/model-registry';
import { AUDIO_CLIP_INPUT, audioClipScoringModel, contextsPerClip, logMelContexts } from './audio-clip-model';
import { loadLatentDensity } from './latent-density';
import type { LogMelFeatureOptions } from './types';

const MODEL_DIR = resolve(__dirname, '..', '..', '..', '..', '..', 'models', 'mimii-pump-audio-vae', 'v1');
const FEATURES: LogMelFeatureOptions = { sampleRate: 16000, nFft: 1024, hop: 512, nMels: 128, frames: 5, frameHop: 1 };

/** Seeded noise with a tone: a clip of `n` samples. */
function clip(n: number, seed: number, toneHz = 440): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, (_, i) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 0.05 * (s / 2 ** 32 - 0.5) + 0.1 * Math.sin((2 * Math.PI * toneHz * i) / FEATURES.sampleRate);
  });
}

describe('logMelContexts / contextsPerClip', () => {
  it('count the context windows a clip holds, as the centred STFT gives them', () => {
    for (const n of [2048, 16000, 48000, 48001]) expect(logMelContexts(clip(n, 1), FEATURES).batch).toBe(contextsPerClip(n, FEATURES));
    expect(contextsPerClip(1000, FEATURES)).toBe(0);
  });
});

describe('audioClipScoringModel', () => {
  it('scores each clip as the mean of its context windows and averages their posteriors', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const clipModel = audioClipScoringModel(model, FEATURES, 16000);
    expect(clipModel.inputs).toEqual([{ name: AUDIO_CLIP_INPUT, shape: [clipModel.contexts, 5, 128] }]);
    const clips = [clip(16000, 1), clip(16000, 2, 3000)];
    const contexts = clips.map((c) => logMelContexts(c, FEATURES));
    const data = new Float32Array(contexts.reduce((n, c) => n + c.data.length, 0));
    data.set(contexts[0]!.data, 0);
    data.set(contexts[1]!.data, contexts[0]!.data.length);
    const assessed = clipModel.assess({ batch: 2, inputs: { [AUDIO_CLIP_INPUT]: data } });
    contexts.forEach((c, b) => {
      const direct = model.assess(c);
      const mean = direct.scores.reduce((a, x) => a + x, 0) / c.batch;
      expect(assessed.scores[b]).toBeCloseTo(mean, 5);
      const d = model.latentDim;
      const firstLatent = Array.from({ length: c.batch }, (_, k) => direct.latent.mean[k * d]!).reduce((a, x) => a + x, 0) / c.batch;
      expect(assessed.latent.mean[b * d]).toBeCloseTo(firstLatent, 5);
    });
    expect(assessed.scores[1]).not.toBeCloseTo(assessed.scores[0]!, 3);
    expect(assessed.reconstruction[AUDIO_CLIP_INPUT]!.length).toBe(data.length);
    clipModel.dispose?.();
  });

  it("with the served latent density, scores each clip by its mean latent's distance to the nearest machine", async () => {
    const dir = resolve(MODEL_DIR, '..', 'v2');
    const { model } = await loadWindowModel(dir);
    const density = (await loadLatentDensity(dir))!;
    expect(density.components.map((c) => c.name)).toEqual(['id_00', 'id_02', 'id_04', 'id_06', 'id_unknown']);
    const byReconstruction = audioClipScoringModel(model, FEATURES, 16000);
    const byDensity = audioClipScoringModel(model, FEATURES, 16000, { density });
    expect([byReconstruction.score, byDensity.score]).toEqual(['reconstruction', 'latent-density']);
    const data = logMelContexts(clip(16000, 3), FEATURES).data;
    const plain = byReconstruction.assess({ batch: 1, inputs: { [AUDIO_CLIP_INPUT]: data } });
    const dense = byDensity.assess({ batch: 1, inputs: { [AUDIO_CLIP_INPUT]: data } });
    // Same latent and reconstruction; only the score differs, and it is the density's distance of that latent.
    expect(Array.from(dense.latent.mean)).toEqual(Array.from(plain.latent.mean));
    expect(dense.scores[0]).toBeCloseTo(density.score(plain.latent.mean), 5);
    expect(dense.scores[0]).not.toBeCloseTo(plain.scores[0]!, 1);
    model.dispose();
  });

  it('refuses features the model was not trained on and clips too short for one context', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    expect(() => audioClipScoringModel(model, { ...FEATURES, nMels: 64 }, 16000)).toThrow(/5×64 windows, the model reads 5×128/);
    expect(() => audioClipScoringModel(model, FEATURES, 1000)).toThrow(/holds no 5-frame context window/);
    const density = (await loadLatentDensity(resolve(MODEL_DIR, '..', 'v2')))!;
    const wrongDim = { ...density, latentDim: 4 } as typeof density;
    expect(() => audioClipScoringModel(model, FEATURES, 16000, { density: wrongDim })).toThrow(/latent density is 4-dimensional, the model's latent 8/);
    model.dispose();
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '@vigil/features';
import { describe, expect, it, vi } from 'vitest';
import { tf } from '../../runtime';
import { InvalidModelConfigError } from '../timeseries-vae/timeseries-vae-config';
import { mixtureWeights, productOfExperts } from './gaussian-experts';
import { multimodalScoringModel } from './multimodal-scoring-model';
import { MultimodalVae } from './multimodal-vae';
import { inputSize, resolveMultimodalVaeConfig } from './multimodal-vae-config';
import { loadMultimodalModel, saveMultimodalModel } from './multimodal-model-files';
import { fitMultimodalVae } from './multimodal-trainer';
import { disposeBatch, packBatch } from './multimodal-window-model';
import type { FusionKind, MultimodalInputs, MultimodalVaeConfigInput } from './types';

const SMALL: MultimodalVaeConfigInput = {
  sensor: { steps: 8, channels: 3 },
  audio: { steps: 6, channels: 4 },
  image: { height: 8, width: 8, channels: 1 },
  latentDim: 4,
  tokenDim: 8,
  hiddenUnits: 16,
};

/** Seeds tfjs's initialisers (they draw from Math.random) so every model of a spec is the same. */
function seededVae(config: MultimodalVaeConfigInput, seed = 3): MultimodalVae {
  const random = vi.spyOn(Math, 'random').mockImplementation(mulberry32(seed));
  try {
    return MultimodalVae.create(config);
  } finally {
    random.mockRestore();
  }
}

function randomWindows(count: number, seed: number): MultimodalInputs[] {
  const random = mulberry32(seed);
  const config = resolveMultimodalVaeConfig(SMALL);
  const draw = (n: number, offset: number) => Float32Array.from({ length: n }, () => offset + random() * 2 - 1);
  return Array.from({ length: count }, () => ({ sensor: draw(inputSize(config, 'sensor'), 5), audio: draw(inputSize(config, 'audio'), -40), image: draw(inputSize(config, 'image'), 100) }));
}

async function fitted(fusion: FusionKind, crossAttention = true) {
  const random = vi.spyOn(Math, 'random').mockImplementation(mulberry32(9));
  try {
    return fitMultimodalVae(randomWindows(24, 1), { ...SMALL, fusion, crossAttention }, { epochs: 1, batchSize: 8, seed: 2 }).model;
  } finally {
    random.mockRestore();
  }
}

describe('Gaussian expert fusion', () => {
  it('the product of experts (with the prior expert) matches the closed form, missing experts left out', () => {
    const means = [[0.5, -1], [2, 0.25], [-3, 1]];
    const logVars = [[0.1, -0.7], [1.2, 0.3], [-2, 0.5]];
    const present = [1, 1, 0];
    const result = tf.tidy(() => {
      const experts = means.map((m, i) => ({ mean: tf.tensor2d([m]), logVar: tf.tensor2d([logVars[i]!]) }));
      const { mean, logVar } = productOfExperts(experts, present.map((p) => tf.tensor1d([p])));
      return [Array.from(mean.dataSync()), Array.from(logVar.dataSync())];
    });
    for (let d = 0; d < 2; d++) {
      let precision = 1; // the prior N(0, 1)
      let weighted = 0;
      means.forEach((m, i) => {
        if (!present[i]) return;
        precision += Math.exp(-logVars[i]![d]!);
        weighted += m[d]! * Math.exp(-logVars[i]![d]!);
      });
      expect(result[0]![d]).toBeCloseTo(weighted / precision, 5);
      expect(result[1]![d]).toBeCloseTo(-Math.log(precision), 5);
    }
  });

  it('mixture weights are uniform over the present experts', () => {
    const w = tf.tidy(() => Array.from(mixtureWeights([tf.tensor1d([1, 1, 0]), tf.tensor1d([0, 1, 0]), tf.tensor1d([1, 1, 1])]).dataSync()));
    expect(w).toEqual([0.5, 0, 0.5, 1 / 3, 1 / 3, 1 / 3, 0, 0, 1].map((v) => expect.closeTo(v, 6)));
  });

  it('a mixture of experts with one present expert is that expert', () => {
    const vae = seededVae({ ...SMALL, fusion: 'moe' });
    const windows = randomWindows(3, 4).map((w) => ({ audio: w.audio }));
    const scalers = Object.fromEntries(vae.config.modalities.map((m) => [m, { transform: (x: Float32Array) => x, inverse: (x: Float32Array) => x, channels: 0 }])) as never;
    const batch = packBatch(vae, scalers, windows);
    const [fused, expert] = tf.tidy(() => {
      const { errors, reconstructions, fusedMean, fusedLogVar } = vae.errors(batch);
      tf.dispose([...Object.values(errors), ...Object.values(reconstructions), fusedLogVar]);
      return [fusedMean, vae.experts(batch).audio.mean];
    });
    expect(Array.from(fused!.dataSync())).toEqual(Array.from(expert!.dataSync()));
    tf.dispose([fused!, expert!]);
    disposeBatch(batch);
    vae.dispose();
  });
});

describe('resolveMultimodalVaeConfig', () => {
  it.each([
    [{ modalities: [] }, /at least one/],
    [{ modalities: ['smell'] }, /unknown modalities/],
    [{ fusion: 'sum' }, /fusion/],
    [{ tokenDim: 6, attentionHeads: 4 }, /divisible/],
    [{ image: { height: 30 } }, /multiples of 4/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveMultimodalVaeConfig(input as MultimodalVaeConfigInput)).toThrow(InvalidModelConfigError);
    expect(() => resolveMultimodalVaeConfig(input as MultimodalVaeConfigInput)).toThrow(message);
  });

  it('orders modalities canonically', () => {
    expect(resolveMultimodalVaeConfig({ modalities: ['image', 'sensor'] }).modalities).toEqual(['sensor', 'image']);
  });
});

describe.each<[FusionKind, boolean]>([
  ['poe', true],
  ['moe', true],
  ['poe', false],
])('MultimodalWindowModel (%s, cross-attention %s)', (fusion, crossAttention) => {
  it('a missing modality changes nothing else in the batch, and equals scoring the window alone', async () => {
    const model = await fitted(fusion, crossAttention);
    const windows = randomWindows(4, 7);
    const full = model.score(windows);
    const { audio: _dropped, ...withoutAudio } = windows[1]!;
    const partial = model.score([windows[0]!, withoutAudio, windows[2]!, windows[3]!]);
    for (const i of [0, 2, 3]) {
      expect(partial[i]!.score).toBe(full[i]!.score);
      expect(partial[i]!.perModality).toEqual(full[i]!.perModality);
    }
    expect(partial[1]!.present).toEqual(['sensor', 'image']);
    expect(partial[1]!.perModality.audio).toBeUndefined();
    expect(partial[1]!.score).not.toBe(full[1]!.score);
    const alone = model.score([withoutAudio])[0]!;
    expect(alone.score).toBeCloseTo(partial[1]!.score, 5);
    const shares = Object.values(partial[1]!.shares).reduce((a, b) => a + b, 0);
    expect(shares).toBeCloseTo(1, 6);
    model.dispose();
  });

  it('a missing modality is left out, not read: whatever its masked rows hold, every output stays the same', async () => {
    const model = await fitted(fusion, crossAttention);
    const vae = model.vae;
    const batch = packBatch(vae, model.scalers, [randomWindows(1, 2)[0]!, { sensor: randomWindows(1, 3)[0]!.sensor, image: randomWindows(1, 4)[0]!.image }]);
    const outputs = (audio: tf.Tensor) =>
      tf.tidy(() => {
        const r = vae.errors({ inputs: { ...batch.inputs, audio }, present: batch.present });
        return [r.errors.sensor, r.errors.image, r.fusedMean, r.fusedLogVar].map((t) => Array.from(t.dataSync()).slice(t.size / 2));
      });
    const zeros = tf.tidy(() => tf.concat([batch.inputs.audio.slice([0], [1]), tf.zeros([1, 6, 4])]));
    const noise = tf.tidy(() => tf.concat([batch.inputs.audio.slice([0], [1]), tf.randomNormal([1, 6, 4], 0, 50, 'float32', 1)]));
    expect(outputs(noise)).toEqual(outputs(zeros));
    tf.dispose([zeros, noise]);
    disposeBatch(batch);
    model.dispose();
  });

  it('does not leak tensors', async () => {
    const model = await fitted(fusion, crossAttention);
    const windows = randomWindows(5, 8);
    model.score(windows);
    const before = tf.memory().numTensors;
    model.score(windows);
    model.score([{ image: windows[0]!.image }]);
    const batch = packBatch(model.vae, model.scalers, windows);
    const loss = model.vae.lossOn(batch, [['sensor'], ['audio', 'image']], 5);
    tf.dispose([loss.total, loss.reconstruction, loss.kl]);
    disposeBatch(batch);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('training and files', () => {
  it('training reduces the loss and leaks nothing; a saved model scores the same after loading', async () => {
    const before = tf.memory().numTensors;
    const random = vi.spyOn(Math, 'random').mockImplementation(mulberry32(5));
    const { model, history } = fitMultimodalVae(randomWindows(48, 3), { ...SMALL, fusion: 'poe' }, { epochs: 4, batchSize: 16, learningRate: 5e-3, seed: 1, patience: 4 });
    random.mockRestore();
    expect(history.at(-1)!.loss).toBeLessThan(history[0]!.loss);
    const dir = await mkdtemp(join(tmpdir(), 'multimodal-'));
    try {
      await saveMultimodalModel(model, dir, { note: 'spec' });
      const loaded = await loadMultimodalModel(dir);
      const windows = randomWindows(3, 11);
      expect(loaded.score(windows).map((r) => r.score)).toEqual(model.score(windows).map((r) => r.score));
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects windows with no modality or a wrong size', async () => {
    const model = await fitted('poe');
    expect(() => model.score([{}])).toThrow(/none of/);
    expect(() => model.score([{ sensor: new Float32Array(3) }])).toThrow(/the model takes/);
    model.dispose();
  });
});

describe('multimodalScoringModel (the serving contract)', () => {
  it('scores named batch inputs, honours per-window presence and returns what score() gives', async () => {
    const model = await fitted('poe');
    const serving = multimodalScoringModel(model);
    const windows = randomWindows(3, 12);
    const stack = (m: 'sensor' | 'audio' | 'image') => Float32Array.from(windows.flatMap((w) => Array.from(w[m]!)));
    const result = serving.assess({ batch: 3, inputs: { sensor: stack('sensor'), audio: stack('audio'), audio_present: Float32Array.of(1, 0, 1), image: stack('image') } });
    const expected = model.score([windows[0]!, { sensor: windows[1]!.sensor, image: windows[1]!.image }, windows[2]!]);
    expect(Array.from(result.scores)).toEqual(expected.map((e) => Math.fround(e.score)));
    expect(result.modalities[1]!.present).toEqual(['sensor', 'image']);
    expect(result.latent.mean.length).toBe(3 * 4);
    expect(result.reconstruction.image!.length).toBe(stack('image').length);
    expect(serving.inputs.map((i) => `${i.name}:${i.shape.join('x')}`)).toEqual(['sensor:8x3', 'audio:6x4', 'image:8x8x1']);
    serving.dispose?.();
  });
});

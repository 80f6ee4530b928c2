import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OnnxInferenceSession, TfjsInferenceRuntime, type TensorData } from '../../onnx/inference-runtime';
import { randomArray, randomizeWeights, seededRandom } from '../../onnx/onnx-parity.test-helpers';
import { type tf } from '../../runtime';
import { MultimodalVae } from './multimodal-vae';
import { exportMultimodalParts } from './multimodal-onnx';
import { OnnxMultimodalRuntime, UnsupportedFusionError } from './multimodal-onnx-runtime';
import { loadMultimodalModel } from './multimodal-model-files';
import { inputSize as multimodalInputSize } from './multimodal-vae-config';
import type { FusionKind, MultimodalInputs } from './types';

const TOLERANCE = 1e-4;
const BATCH = 4;

/** Inputs for a part: masks are 0/1 (row 0 all missing, the others mixed), everything else uniform in [-2, 2]. */
function inputsFor(model: tf.LayersModel, seed: number): Record<string, TensorData> {
  const random = seededRandom(seed);
  const inputs: Record<string, TensorData> = {};
  model.inputs.forEach((input, i) => {
    const shape = [BATCH, ...(input.shape.slice(1) as number[])];
    const size = shape.reduce((a, b) => a * b, 1);
    const name = model.inputNames[i]!;
    const data = name.endsWith('_context_mask')
      ? Float32Array.from({ length: size }, (_, j) => (j < shape[1]! ? 0 : random() < 0.6 ? 1 : 0))
      : randomArray(size, random, -2, 2);
    inputs[name] = { data, shape };
  });
  return inputs;
}

async function worstDifference(model: tf.LayersModel, onnx: Uint8Array, seed: number): Promise<number> {
  randomizeWeights(model, seed);
  const inputs = inputsFor(model, seed + 1);
  const expected = await new TfjsInferenceRuntime(model).run(inputs);
  const session = await OnnxInferenceSession.create(onnx);
  try {
    const actual = await session.run(inputs);
    let worst = 0;
    for (const name of model.outputNames) {
      const want = expected[name]!;
      const got = actual[name]!;
      expect(got.shape).toEqual(want.shape);
      want.data.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - got.data[i]!));
      });
    }
    return worst;
  } finally {
    await session.dispose();
  }
}

describe.each<[FusionKind, boolean]>([
  ['poe', true],
  ['moe', false],
])('ONNX export of the multimodal VAE parts (%s, cross-attention %s)', (fusion, crossAttention) => {
  it('every tokenizer, expert head (with masked cross-modal attention) and decoder matches tfjs within 1e-4', async () => {
    const vae = MultimodalVae.create({ sensor: { steps: 10, channels: 3 }, audio: { steps: 8, channels: 6 }, image: { height: 8, width: 12, channels: 1 }, tokenDim: 8, latentDim: 4, hiddenUnits: 16, fusion, crossAttention });
    // Export after randomising: the exporter reads the weights at export time.
    const parts = vae.parts;
    parts.forEach((p, i) => randomizeWeights(p, 100 + i));
    const exported = exportMultimodalParts(vae);
    expect(Object.keys(exported).sort()).toEqual(parts.map((p) => p.name).sort());
    for (const [i, part] of parts.entries()) {
      const diff = await worstDifference(part, exported[part.name]!.model, 100 + i);
      expect(diff, part.name).toBeLessThan(TOLERANCE);
    }
    vae.dispose();
  });
});

describe('OnnxMultimodalRuntime (the committed multimodal-pump model served in ONNX Runtime)', () => {
  it('gives the tfjs assessment within 1e-4 for every subset of modalities, in one mixed batch', async () => {
    const model = await loadMultimodalModel(resolve(__dirname, '..', '..', '..', '..', '..', 'models', 'multimodal-pump', 'v1'));
    const runtime = await OnnxMultimodalRuntime.create(model.vae);
    try {
      const random = seededRandom(5);
      const ms = model.modalities;
      // Every non-empty subset, as raw inputs around each modality's training mean.
      const windows: MultimodalInputs[] = [];
      for (let mask = 1; mask < 1 << ms.length; mask++) {
        const w: MultimodalInputs = {};
        ms.forEach((m, i) => {
          if (!(mask & (1 << i))) return;
          const scaler = model.scalers[m];
          const size = multimodalInputSize(model.vae.config, m);
          w[m] = Float32Array.from({ length: size }, (_, k) => scaler.mean[k % scaler.channels]! + scaler.std[k % scaler.channels]! * (2 * random() - 1));
        });
        windows.push(w);
      }
      const want = model.assess(windows);
      const got = await model.assessOn(runtime, windows);
      got.windows.forEach((g, i) => {
        expect(Math.abs(g.score - want.windows[i]!.score), `window ${i}`).toBeLessThan(TOLERANCE * Math.max(1, want.windows[i]!.score));
        expect(g.present).toEqual(want.windows[i]!.present);
      });
      want.raw.fusedMean.forEach((v, i) => expect(Math.abs(v - got.raw.fusedMean[i]!)).toBeLessThan(TOLERANCE));
      for (const m of ms) want.raw.reconstructions[m]!.forEach((v, i) => expect(Math.abs(v - got.raw.reconstructions[m]![i]!) / Math.max(1, Math.abs(v))).toBeLessThan(TOLERANCE));
    } finally {
      await runtime.dispose();
      model.dispose();
    }
  });

  it('gives the same raw errors bit for bit from the ONNX session worker thread', async () => {
    const model = await loadMultimodalModel(resolve(__dirname, '..', '..', '..', '..', '..', 'models', 'multimodal-pump', 'v1'));
    const [inThread, hosted] = await Promise.all([OnnxMultimodalRuntime.create(model.vae), OnnxMultimodalRuntime.create(model.vae, { host: 'worker' })]);
    try {
      const random = seededRandom(6);
      const windows: MultimodalInputs[] = [0, 1, 2].map((k) => {
        const w: MultimodalInputs = {};
        model.modalities.forEach((m, i) => {
          if (k === 1 && i === 0) return; // one window without its first modality: the masks and PoE cross the thread too
          const scaler = model.scalers[m];
          w[m] = Float32Array.from({ length: multimodalInputSize(model.vae.config, m) }, (_, j) => scaler.mean[j % scaler.channels]! + scaler.std[j % scaler.channels]! * (2 * random() - 1));
        });
        return w;
      });
      expect(await hosted.rawErrors(model.scalers, windows, true)).toEqual(await inThread.rawErrors(model.scalers, windows, true));
    } finally {
      await Promise.all([inThread.dispose(), hosted.dispose()]);
      model.dispose();
    }
  });

  it('refuses a Mixture-of-Experts model (its fusion is not implemented here)', async () => {
    const vae = MultimodalVae.create({ sensor: { steps: 10, channels: 3 }, audio: { steps: 8, channels: 6 }, image: { height: 8, width: 12, channels: 1 }, fusion: 'moe' });
    await expect(OnnxMultimodalRuntime.create(vae)).rejects.toThrow(UnsupportedFusionError);
    vae.dispose();
  });
});

import { resolve } from 'node:path';
import { mulberry32 } from '@vigil/features';
import { loadWindowModel, OnnxVaeWindowRuntime, WINDOW_INPUT } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import { sensorWindowScorer } from '../scoring/modality-scorer';
import { explainWithShap, explainWithShapAsync } from './shap-explanation';

const MODEL_DIR = resolve(__dirname, '..', '..', '..', '..', 'models', 'sensor', 'pump-synthetic', 'v1');

describe('explainWithShap', () => {
  it('ranks players of an additive score exactly, shares summing to 1', () => {
    const shap = explainWithShap({ players: ['a', 'b', 'c'], value: (m, n) => Float64Array.from({ length: n }, (_, k) => 2 * m[3 * k + 2]! - m[3 * k]!) });
    expect(shap.contributions.map((c) => [c.name, Number(c.value.toFixed(9)) + 0])).toEqual([
      ['c', 2],
      ['a', -1],
      ['b', 0],
    ]);
    expect(shap.contributions.reduce((s, c) => s + c.share, 0)).toBeCloseTo(1, 12);
    expect(shap.exact).toBe(true);
  });

  it('names the channel that breaks the committed sensor VAE’s window (absent channels take its reconstruction)', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const scorer = sensorWindowScorer(model);
    try {
      // A normal-looking window (each channel at its training mean ± noise) with motor_temp 6 σ off.
      const random = mulberry32(11);
      const c = model.channelNames.indexOf('motor_temp');
      const x = Float32Array.from({ length: model.steps * model.channels }, (_, i) => {
        const ch = i % model.channels;
        return model.scaler.mean[ch]! + model.scaler.std[ch]! * (0.3 * (random() - 0.5) + (ch === c ? 6 : 0));
      });
      const assessed = scorer.model.assess({ batch: 1, inputs: { [WINDOW_INPUT]: x } });
      const frame = { inputs: { [WINDOW_INPUT]: x }, reconstruction: assessed.reconstruction, mean: assessed.latent.mean, logVar: assessed.latent.logVar };
      const shap = explainWithShap(scorer.shapProblem!(frame)!, { maxCoalitions: 256, seed: 1 });
      expect(shap.contributions[0]!.name).toBe('motor_temp');
      expect(shap.exact).toBe(true); // 7 channels: all 126 coalitions fit the budget
      // Efficiency: the values add up to the window's score above the all-reconstructed baseline.
      const total = shap.contributions.reduce((s, k) => s + k.value, 0);
      expect(total).toBeCloseTo(shap.fullValue - shap.baseValue, 4);
      expect(shap.fullValue).toBeCloseTo(assessed.scores[0]!, 4);
    } finally {
      model.dispose();
    }
  });

  it('async: on the scorer’s ONNX session (valueAsync, never the tfjs pass), the same explanation within ONNX parity', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const onnx = await OnnxVaeWindowRuntime.create(model);
    const scorer = sensorWindowScorer(model, undefined, onnx);
    try {
      const random = mulberry32(12);
      const c = model.channelNames.indexOf('pressure');
      const x = Float32Array.from({ length: model.steps * model.channels }, (_, i) => {
        const ch = i % model.channels;
        return model.scaler.mean[ch]! + model.scaler.std[ch]! * (0.3 * (random() - 0.5) + (ch === c ? 6 : 0));
      });
      const assessed = scorer.model.assess({ batch: 1, inputs: { [WINDOW_INPUT]: x } });
      const frame = { inputs: { [WINDOW_INPUT]: x }, reconstruction: assessed.reconstruction, mean: assessed.latent.mean, logVar: assessed.latent.logVar };
      const problem = scorer.shapProblem!(frame)!;
      expect(problem.valueAsync).toBeTypeOf('function');
      const sync = explainWithShap(problem, { maxCoalitions: 256, seed: 1 });
      let tfjsCalls = 0;
      const shap = await explainWithShapAsync(
        {
          ...problem,
          value: (m, n) => {
            tfjsCalls++;
            return problem.value(m, n);
          },
        },
        { maxCoalitions: 256, seed: 1 },
      );
      expect(tfjsCalls).toBe(0);
      expect(shap.contributions[0]!.name).toBe('pressure');
      const tfjs = new Map(sync.contributions.map((k) => [k.name, k.value]));
      for (const k of shap.contributions) expect(k.value).toBeCloseTo(tfjs.get(k.name)!, 3);
    } finally {
      await onnx.dispose();
      model.dispose();
    }
  });
});

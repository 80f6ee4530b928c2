import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSensorModel } from './sensor-model.repository';

const MODELS = resolve(__dirname, '..', '..', '..', '..', 'models');

describe('loadSensorModel', () => {
  it('scores the same windows alike on ONNX Runtime and on tfjs-node', async () => {
    const [onnx, tfjs] = await Promise.all([
      loadSensorModel(MODELS, 'sensor/pump-synthetic', 'onnxruntime'),
      loadSensorModel(MODELS, 'sensor/pump-synthetic', 'tfjs'),
    ]);
    const { steps, channels } = tfjs.model;
    // Deterministic windows around each channel's training mean: a smooth one and a spiky one.
    const data = Float32Array.from({ length: 2 * steps * channels }, (_, i) => Math.sin(i / 7) * (i > steps * channels ? 3 : 0.3));
    const batch = { data, batch: 2, steps, channels };
    const [a, b] = [await onnx.assess(batch), await tfjs.assess(batch)];
    expect(a.scores.length).toBe(2);
    for (let i = 0; i < 2; i++) expect(a.scores[i]).toBeCloseTo(b.scores[i]!, 4);
    const maxDiff = a.reconstruction.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.reconstruction.data[i]!)), 0);
    expect(maxDiff).toBeLessThan(1e-3);
    expect(onnx.modelVersion).toBe(tfjs.modelVersion);
  });
});

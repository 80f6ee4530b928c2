import { describe, expect, it } from 'vitest';
import { tf } from '../runtime';
import { createInferenceRuntime, MissingInputError, type InferenceRuntimeKind } from './inference-runtime';
import { oneLayerModel, randomizeWeights } from './onnx-parity.test-helpers';

describe('InferenceRuntime', () => {
  const model = oneLayerModel(tf.layers.dense({ units: 2, activation: 'tanh', name: 'head' }), [3]);
  randomizeWeights(model, 1);
  const input = { data: Float32Array.from([0.1, -0.2, 0.3, 1, 2, 3]), shape: [2, 3] };

  it.each<InferenceRuntimeKind>(['tfjs', 'onnxruntime'])('%s serves the same names and shapes', async (kind) => {
    const runtime = await createInferenceRuntime(model, kind);
    expect(runtime.kind).toBe(kind);
    expect(runtime.inputNames).toEqual(model.inputNames);
    expect(runtime.outputNames).toEqual(model.outputNames);
    const outputs = await runtime.run({ [model.inputNames[0] as string]: input });
    const [name] = model.outputNames;
    const expected = tf.tidy(() => (model.predict(tf.tensor2d(input.data, [2, 3])) as tf.Tensor).arraySync() as number[][]);
    expect(outputs[name as string]?.shape).toEqual([2, 2]);
    Array.from(outputs[name as string]?.data ?? []).forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i] as number, 5));
    await runtime.dispose();
  });

  it.each<InferenceRuntimeKind>(['tfjs', 'onnxruntime'])('%s names a missing input', async (kind) => {
    const runtime = await createInferenceRuntime(model, kind);
    await expect(runtime.run({ wrong: input })).rejects.toThrow(MissingInputError);
    await runtime.dispose();
  });

  it('tfjs runtime does not leak tensors', async () => {
    const runtime = await createInferenceRuntime(model, 'tfjs');
    await runtime.run({ [model.inputNames[0] as string]: input });
    const before = tf.memory().numTensors;
    await runtime.run({ [model.inputNames[0] as string]: input });
    expect(tf.memory().numTensors).toBe(before);
  });
});

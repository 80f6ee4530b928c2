/**
 * Helpers for the ONNX parity specs: seeded random weights and inputs, one-layer models, and a comparison of
 * the tfjs model's outputs with its ONNX export's outputs in ONNX Runtime.
 *
 * @example
 *   const diff = await maxAbsDifference(oneLayerModel(tf.layers.dense({ units: 3 }), [5]), 42);
 */
import { tf } from '../runtime';
import { OnnxInferenceSession, TfjsInferenceRuntime, type TensorData } from './inference-runtime';
import { exportToOnnx } from './tfjs-to-onnx';

/** Reproducible test inputs from the project's one seeded generator. */
import { seededRandom } from '../training/seeded-random';

export { seededRandom };

export function randomArray(length: number, random: () => number, low = -1, high = 1): Float32Array {
  return Float32Array.from({ length }, () => low + (high - low) * random());
}

/**
 * Overwrites every weight with seeded uniform values so biases, moving statistics and scales are all
 * non-trivial (defaults are zeros and ones, which would hide a wrong axis or a missing term). Kernels are
 * scaled by √(3 / fan-in), as LeCun initialisation does, so activations stay O(1) through deep stacks and an
 * absolute tolerance of 1e-4 measures conversion errors rather than float32 rounding of large values.
 */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const random = seededRandom(seed);
  for (const variable of model.weights) {
    const shape = variable.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    const positive = /moving_variance|gamma/.test(variable.originalName);
    const kernelScale = /kernel$/.test(variable.originalName) && shape.length >= 2 ? Math.sqrt(3 / (size / (shape[shape.length - 1] as number))) : 1;
    const values = randomArray(size, random, positive ? 0.5 : -kernelScale, positive ? 1.5 : kernelScale);
    tf.tidy(() => {
      variable.write(tf.tensor(values, shape));
    });
  }
}

/** A functional model around one layer (or a small stack given as a function of the input). */
export function modelOf(inputShapes: number[][], build: (inputs: tf.SymbolicTensor[]) => tf.SymbolicTensor | tf.SymbolicTensor[]): tf.LayersModel {
  const inputs = inputShapes.map((shape, i) => tf.input({ shape, name: `input_${i}` }));
  return tf.model({ inputs, outputs: build(inputs) });
}

export function oneLayerModel(layer: tf.layers.Layer, inputShape: number[]): tf.LayersModel {
  return modelOf([inputShape], ([x]) => layer.apply(x as tf.SymbolicTensor) as tf.SymbolicTensor);
}

/** Largest |tfjs − onnxruntime| over all outputs for a random batch of `batch` inputs. */
export async function maxAbsDifference(model: tf.LayersModel, seed: number, batch = 3): Promise<number> {
  randomizeWeights(model, seed);
  const random = seededRandom(seed + 1);
  const inputs: Record<string, TensorData> = {};
  model.inputs.forEach((input, i) => {
    const shape = [batch, ...(input.shape.slice(1) as number[])];
    inputs[model.inputNames[i] as string] = {
      data: randomArray(
        shape.reduce((a, b) => a * b, 1),
        random,
        -2,
        2,
      ),
      shape,
    };
  });
  const expected = await new TfjsInferenceRuntime(model).run(inputs);
  const session = await OnnxInferenceSession.create(exportToOnnx(model).model);
  try {
    const actual = await session.run(inputs);
    let worst = 0;
    for (const name of model.outputNames) {
      const want = expected[name] as TensorData;
      const got = actual[name];
      if (!got || got.shape.join() !== want.shape.join()) {
        throw new Error(`output ${name}: onnxruntime shape [${got?.shape.join(', ')}] vs tfjs [${want.shape.join(', ')}]`);
      }
      want.data.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - (got.data[i] as number)));
      });
    }
    return worst;
  } finally {
    await session.dispose();
  }
}

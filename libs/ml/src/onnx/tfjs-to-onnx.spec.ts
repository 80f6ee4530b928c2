import { describe, expect, it } from 'vitest';
import { tf } from '../runtime';
import { SUPPORTED_ACTIVATIONS } from './converters/activations';
import { registerOnnxConverter, UnsupportedLayerError } from './converter-registry';
import { OnnxInferenceSession } from './inference-runtime';
import { maxAbsDifference, modelOf, oneLayerModel, randomArray, randomizeWeights, seededRandom } from './onnx-parity.test-helpers';
import { decodeOnnxModel } from './onnx-proto';
import { exportToOnnx } from './tfjs-to-onnx';

const TOLERANCE = 1e-4;
const L = tf.layers;

/** [case name, model factory]: each builds a fresh model so weights and names never leak between cases. */
const LAYER_CASES: [string, () => tf.LayersModel][] = [
  ['Dense + relu', () => oneLayerModel(L.dense({ units: 7, activation: 'relu' }), [5])],
  ['Dense on rank 3, no bias', () => oneLayerModel(L.dense({ units: 4, useBias: false }), [6, 5])],
  ['Conv1D valid, stride 2', () => oneLayerModel(L.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }), [30, 14])],
  ['Conv1D same, stride 2, odd length', () => oneLayerModel(L.conv1d({ filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'elu' }), [15, 6])],
  ['Conv1D same, dilation 2', () => oneLayerModel(L.conv1d({ filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same' }), [12, 2])],
  ['Conv2D same, stride 2', () => oneLayerModel(L.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), [9, 8, 2])],
  ['Conv2D valid, 5x3 kernel', () => oneLayerModel(L.conv2d({ filters: 2, kernelSize: [5, 3], padding: 'valid' }), [10, 7, 3])],
  [
    'Conv2DTranspose same, stride 2',
    () => oneLayerModel(L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'sigmoid' }), [5, 4, 2]),
  ],
  ['Conv2DTranspose same, even kernel', () => oneLayerModel(L.conv2dTranspose({ filters: 2, kernelSize: 4, strides: 2, padding: 'same' }), [4, 4, 3])],
  ['Conv2DTranspose valid, k > s', () => oneLayerModel(L.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'valid' }), [4, 5, 2])],
  ['Conv2DTranspose valid, k < s', () => oneLayerModel(L.conv2dTranspose({ filters: 2, kernelSize: 1, strides: 2, padding: 'valid' }), [3, 3, 2])],
  ['Flatten', () => oneLayerModel(L.flatten(), [4, 3, 2])],
  ['Reshape with -1', () => oneLayerModel(L.reshape({ targetShape: [-1, 4] }), [3, 8])],
  ['Permute', () => oneLayerModel(L.permute({ dims: [2, 1] }), [5, 3])],
  ['RepeatVector', () => oneLayerModel(L.repeatVector({ n: 4 }), [3])],
  ['BatchNormalization (inference), rank 4', () => oneLayerModel(L.batchNormalization({ epsilon: 1e-3 }), [4, 4, 3])],
  ['BatchNormalization axis 1, rank 3', () => oneLayerModel(L.batchNormalization({ axis: 1, center: false }), [5, 3])],
  ['LayerNormalization', () => oneLayerModel(L.layerNormalization({ epsilon: 1e-5 }), [7, 6])],
  ['LayerNormalization, no scale', () => oneLayerModel(L.layerNormalization({ scale: false }), [6])],
  ['Dropout (identity at inference)', () => oneLayerModel(L.dropout({ rate: 0.5 }), [6])],
  ['UpSampling2D nearest', () => oneLayerModel(L.upSampling2d({ size: [2, 3] }), [3, 4, 2])],
  ['UpSampling2D bilinear', () => oneLayerModel(L.upSampling2d({ size: [2, 2], interpolation: 'bilinear' }), [3, 4, 2])],
  ['GlobalAveragePooling1D', () => oneLayerModel(L.globalAveragePooling1d(), [30, 14])],
  ['GlobalAveragePooling2D', () => oneLayerModel(L.globalAveragePooling2d({}), [5, 4, 3])],
  ['GlobalMaxPooling1D', () => oneLayerModel(L.globalMaxPooling1d(), [9, 3])],
  ['MaxPooling1D same', () => oneLayerModel(L.maxPooling1d({ poolSize: 2, padding: 'same' }), [7, 3])],
  ['MaxPooling2D valid', () => oneLayerModel(L.maxPooling2d({ poolSize: 2 }), [6, 5, 2])],
  ['AveragePooling2D same', () => oneLayerModel(L.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), [7, 6, 2])],
  ['LeakyReLU layer', () => oneLayerModel(L.leakyReLU({ alpha: 0.2 }), [8])],
  ['ReLU layer with maxValue', () => oneLayerModel(L.reLU({ maxValue: 0.5 }), [8])],
  ['ELU layer', () => oneLayerModel(L.elu(), [8])],
  ['Softmax layer', () => oneLayerModel(L.softmax(), [5])],
  ['Add', () => modelOf([[4], [4], [4]], (xs) => L.add().apply(xs) as tf.SymbolicTensor)],
  [
    'Multiply',
    () =>
      modelOf(
        [
          [2, 3],
          [2, 3],
        ],
        (xs) => L.multiply().apply(xs) as tf.SymbolicTensor,
      ),
  ],
  ['Average', () => modelOf([[4], [4]], (xs) => L.average().apply(xs) as tf.SymbolicTensor)],
  ['Maximum', () => modelOf([[4], [4]], (xs) => L.maximum().apply(xs) as tf.SymbolicTensor)],
  [
    'Concatenate (last axis)',
    () =>
      modelOf(
        [
          [5, 2],
          [5, 3],
        ],
        (xs) => L.concatenate().apply(xs) as tf.SymbolicTensor,
      ),
  ],
  [
    'Concatenate (axis 1)',
    () =>
      modelOf(
        [
          [2, 3],
          [4, 3],
        ],
        (xs) => L.concatenate({ axis: 1 }).apply(xs) as tf.SymbolicTensor,
      ),
  ],
];

describe('exportToOnnx: ONNX Runtime matches tfjs within 1e-4', () => {
  it.each(LAYER_CASES)('%s', async (_name, build) => {
    const model = build();
    expect(await maxAbsDifference(model, 11)).toBeLessThan(TOLERANCE);
    model.dispose();
  });

  it.each(SUPPORTED_ACTIVATIONS)('activation %s', async (activation) => {
    const model = oneLayerModel(L.activation({ activation: activation as 'relu' }), [3, 6]);
    expect(await maxAbsDifference(model, 5)).toBeLessThan(TOLERANCE);
  });

  it('inlines nested encoder/decoder models and keeps multi-output names', async () => {
    const encoderInput = tf.input({ shape: [30, 14] });
    const features = L.flatten().apply(
      L.conv1d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }).apply(encoderInput),
    ) as tf.SymbolicTensor;
    const mean = L.dense({ units: 4, name: 'z_mean' }).apply(features) as tf.SymbolicTensor;
    const logVar = L.dense({ units: 4, name: 'z_log_var' }).apply(features) as tf.SymbolicTensor;
    const encoder = tf.model({ inputs: encoderInput, outputs: [mean, logVar], name: 'encoder' });
    const decoder = tf.sequential({
      name: 'decoder',
      layers: [
        L.dense({ inputShape: [4], units: 30 * 8, activation: 'relu' }),
        L.reshape({ targetShape: [30, 8] }),
        L.conv1d({ filters: 14, kernelSize: 3, padding: 'same' }),
      ],
    });
    const windows = tf.input({ shape: [30, 14], name: 'window' });
    const [zMean, zLogVar] = encoder.apply(windows) as tf.SymbolicTensor[];
    const autoencoder = tf.model({ inputs: windows, outputs: [decoder.apply(zMean as tf.SymbolicTensor) as tf.SymbolicTensor, zLogVar as tf.SymbolicTensor] });

    expect(await maxAbsDifference(autoencoder, 3)).toBeLessThan(TOLERANCE);
    const exported = exportToOnnx(autoencoder);
    expect(exported.inputNames).toEqual(['window']);
    expect(exported.outputNames).toEqual(autoencoder.outputNames);
  });

  it('writes opset 17, a symbolic batch dimension and float initializers', () => {
    const decoded = decodeOnnxModel(exportToOnnx(oneLayerModel(L.dense({ units: 2 }), [3])).model) as {
      opsetImport: { version: number }[];
      graph: { input: { type: { tensorType: { shape: { dim: { dimParam?: string; dimValue?: number }[] } } } }[]; initializer: { dims: number[] }[] };
    };
    expect(decoded.opsetImport[0]?.version).toBe(17);
    expect(decoded.graph.input[0]?.type.tensorType.shape.dim).toEqual([{ dimParam: 'batch' }, { dimValue: 3 }]);
    expect(decoded.graph.initializer.map((t) => t.dims)).toEqual([[3, 2], [2]]);
  });

  it('finds weights when tfjs has renamed them because a layer name repeats across models', async () => {
    oneLayerModel(L.dense({ units: 2, name: 'repeated' }), [3]).dispose();
    const second = oneLayerModel(L.dense({ units: 2, name: 'repeated' }), [3]);
    expect(second.weights[0]?.name).not.toBe('repeated/kernel');
    expect(await maxAbsDifference(second, 2)).toBeLessThan(TOLERANCE);
  });

  it('does not leak tensors', () => {
    const model = oneLayerModel(L.conv2d({ filters: 2, kernelSize: 3 }), [6, 6, 1]);
    const before = tf.memory().numTensors;
    exportToOnnx(model);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('registerOnnxConverter', () => {
  /** A custom layer such as a VAE's own blocks: y = x · factor. */
  class ScaleLayer extends tf.layers.Layer {
    static readonly className = 'VigilTestScale';
    constructor(readonly factor: number) {
      super({});
    }
    override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
      return tf.tidy(() => tf.mul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, this.factor));
    }
    override getConfig(): tf.serialization.ConfigDict {
      return { ...super.getConfig(), factor: this.factor };
    }
  }

  it('refuses an unknown layer with a message that names the extension point', () => {
    const model = oneLayerModel(new ScaleLayer(2), [3]);
    expect(() => exportToOnnx(model)).toThrow(UnsupportedLayerError);
    expect(() => exportToOnnx(model)).toThrow(/no ONNX converter for tfjs layer "VigilTestScale".*registerOnnxConverter/);
  });

  it('exports a custom layer through its registered converter', async () => {
    registerOnnxConverter('VigilTestScale', ({ graph, inputs, config, scoped }) => [
      graph.op('Mul', [inputs[0] as string, graph.addFloatInitializer(scoped('factor'), [], [config.factor as number])]),
    ]);
    const model = modelOf([[4]], ([x]) => new ScaleLayer(-1.5).apply(L.dense({ units: 3 }).apply(x as tf.SymbolicTensor)) as tf.SymbolicTensor);
    expect(await maxAbsDifference(model, 9)).toBeLessThan(TOLERANCE);
  });
});

describe('exportToOnnx tail', () => {
  it('appends nodes after the model, inlines another model on them and adds inputs; the outputs are the tail’s', async () => {
    const head = modelOf([[3]], ([x]) => L.dense({ units: 4, activation: 'tanh' }).apply(x as tf.SymbolicTensor) as tf.SymbolicTensor);
    const next = modelOf([[4]], ([z]) => L.dense({ units: 2 }).apply(z as tf.SymbolicTensor) as tf.SymbolicTensor);
    randomizeWeights(head, 21);
    randomizeWeights(next, 22);
    const exported = exportToOnnx(head, {
      tail: (g, { outputs: [z], inline, batch }) => {
        const [y] = inline(next, [z!]) as [string];
        g.addNode('Add', [y, g.reserveName('offset')], {}, [g.reserveName('shifted')]);
        return { outputs: [{ name: 'shifted', shape: [batch, 2] }], inputs: [{ name: 'offset', shape: [batch, 2] }] };
      },
    });
    expect(exported.inputNames).toEqual([head.inputNames[0], 'offset']);
    expect(exported.outputNames).toEqual(['shifted']);
    const x = randomArray(2 * 3, seededRandom(23));
    const offset = Float32Array.from([10, 20, 30, 40]);
    const session = await OnnxInferenceSession.create(exported.model);
    const { shifted } = await session.run({ [head.inputNames[0]!]: { data: x, shape: [2, 3] }, offset: { data: offset, shape: [2, 2] } });
    const expected = tf.tidy(() => (next.predict(head.predict(tf.tensor2d(x, [2, 3])) as tf.Tensor) as tf.Tensor).add(tf.tensor2d(offset, [2, 2])).dataSync());
    Array.from(shifted!.data).forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(TOLERANCE));
    await session.dispose();
  });
});

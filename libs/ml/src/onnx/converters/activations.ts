/**
 * tfjs activation names (the `activation` config of Dense/Conv/Activation layers) as ONNX nodes. Those ONNX
 * has no single op for at opset 17 (gelu, swish, mish) are composed from Erf/Tanh/Sigmoid exactly as
 * tfjs-layers computes them, so outputs agree to float rounding.
 *
 * @example
 *   const y = applyActivation(graph, 'gelu', x, 'enc_dense');
 */
import { float, type OnnxGraphBuilder } from '../onnx-graph-builder';
import { UnsupportedLayerError } from '../converter-registry';

type ActivationEmitter = (graph: OnnxGraphBuilder, x: string, scope: string) => string;

const scalar = (graph: OnnxGraphBuilder, scope: string, value: number): string => graph.addFloatInitializer(`${scope}/const`, [], [value]);

const EMITTERS: Record<string, ActivationEmitter> = {
  linear: (_g, x) => x,
  relu: (g, x) => g.op('Relu', [x]),
  relu6: (g, x, scope) => g.op('Clip', [x, scalar(g, scope, 0), scalar(g, scope, 6)]),
  elu: (g, x) => g.op('Elu', [x], { alpha: float(1) }),
  // tfjs uses the same alpha/gamma constants as ONNX's defaults (Klambauer et al.).
  selu: (g, x) => g.op('Selu', [x]),
  tanh: (g, x) => g.op('Tanh', [x]),
  sigmoid: (g, x) => g.op('Sigmoid', [x]),
  hardSigmoid: (g, x) => g.op('HardSigmoid', [x], { alpha: float(0.2), beta: float(0.5) }),
  softplus: (g, x) => g.op('Softplus', [x]),
  softsign: (g, x) => g.op('Softsign', [x]),
  softmax: (g, x) => g.op('Softmax', [x], { axis: -1 }),
  logSoftmax: (g, x) => g.op('LogSoftmax', [x], { axis: -1 }),
  swish: (g, x) => g.op('Mul', [x, g.op('Sigmoid', [x])]),
  mish: (g, x) => g.op('Mul', [x, g.op('Tanh', [g.op('Softplus', [x])])]),
  // x · Φ(x) with Φ(x) = 0.5 · (1 + erf(x / √2)), as tfjs-layers' Gelu.
  gelu: (g, x, scope) => {
    const erf = g.op('Erf', [g.op('Div', [x, scalar(g, scope, Math.SQRT2)])]);
    const cdf = g.op('Mul', [scalar(g, scope, 0.5), g.op('Add', [erf, scalar(g, scope, 1)])]);
    return g.op('Mul', [x, cdf]);
  },
  // 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))), as tfjs-layers' GeluNew.
  gelu_new: (g, x, scope) => {
    const cube = g.op('Mul', [x, g.op('Mul', [x, x])]);
    const inner = g.op('Mul', [scalar(g, scope, Math.sqrt(2 / Math.PI)), g.op('Add', [x, g.op('Mul', [scalar(g, scope, 0.044715), cube])])]);
    const onePlusTanh = g.op('Add', [scalar(g, scope, 1), g.op('Tanh', [inner])]);
    return g.op('Mul', [scalar(g, scope, 0.5), g.op('Mul', [x, onePlusTanh])]);
  },
};

export function applyActivation(graph: OnnxGraphBuilder, name: string | null | undefined, x: string, scope: string): string {
  if (name == null) return x;
  const emit = EMITTERS[name];
  if (!emit) throw new UnsupportedLayerError(`activation:${name}`, `activation "${name}" has no ONNX mapping`);
  return emit(graph, x, scope);
}

export const SUPPORTED_ACTIVATIONS = Object.keys(EMITTERS);

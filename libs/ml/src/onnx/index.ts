/**
 * ONNX export of tfjs layer graphs and serving with ONNX Runtime, behind the same interface as tfjs.
 *
 * @example
 *   import { exportToOnnx, createInferenceRuntime, registerOnnxConverter } from '@vigil/ml';
 *   writeFileSync('encoder.onnx', exportToOnnx(encoder).model);
 *   const runtime = await createInferenceRuntime(encoder, 'onnxruntime');
 */
export { DEFAULT_OPSET, exportToOnnx, type OnnxExport, type OnnxExportOptions } from './tfjs-to-onnx';
export {
  type ConverterContext,
  type LayerWeight,
  type OnnxConverter,
  registerOnnxConverter,
  registeredOnnxConverters,
  type Shape,
  UnsupportedLayerError,
} from './converter-registry';
export { float, OnnxGraphBuilder } from './onnx-graph-builder';
export { SUPPORTED_ACTIVATIONS } from './converters/activations';
export {
  createInferenceRuntime,
  type InferenceRuntime,
  type InferenceRuntimeKind,
  MissingInputError,
  OnnxInferenceSession,
  type OnnxSessionOptions,
  type TensorData,
  TfjsInferenceRuntime,
} from './inference-runtime';

/**
 * ONNX export of tfjs layer graphs and serving with ONNX Runtime, behind the same interface as tfjs.
 *
 * @example
 *   import { exportToOnnx, createInferenceRuntime, registerOnnxConverter } from '@vigil/ml';
 *   writeFileSync('encoder.onnx', exportToOnnx(encoder).model);
 *   const runtime = await createInferenceRuntime(encoder, 'onnxruntime');
 */
export { DEFAULT_OPSET, exportToOnnx, type OnnxExport, type OnnxExportOptions, type OnnxExportTail } from './tfjs-to-onnx';
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
export type { OnnxValueInfo } from './onnx-proto';
export { SUPPORTED_ACTIVATIONS } from './converters/activations';
export {
  createInferenceRuntime,
  type InferenceRuntime,
  type InferenceRuntimeKind,
  MissingInputError,
  OnnxInferenceSession,
  type OnnxSessionHost,
  type OnnxSessionOptions,
  type TensorData,
  TfjsInferenceRuntime,
} from './inference-runtime';
export { ONNX_SESSION_THREAD_NAME, OnnxSessionThread, OnnxSessionThreadError, sharedOnnxSessionThread } from './onnx-session-thread';

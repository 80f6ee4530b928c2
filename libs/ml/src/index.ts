export { mlBackend, tf } from './runtime';
export * from './onnx';
export type { LatentBatch, WindowBatch, WindowModel } from './models/window-model';

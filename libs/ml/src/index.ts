export { mlBackend, tf } from './runtime';
export * from './onnx';
export type { LatentBatch, WindowBatch, WindowModel } from './models/window-model';
export * from './models/timeseries-vae';
export { ChannelScaler, type ChannelScalerState } from './models/channel-scaler';
export { VaeWindowModel, WindowShapeError } from './models/vae-window-model';
export * from './training';

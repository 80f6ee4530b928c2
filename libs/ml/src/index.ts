export { tf } from './runtime';
export type { LatentBatch, WindowBatch, WindowModel } from './models/window-model';

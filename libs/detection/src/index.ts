export {};
export * from \x27./windows\x27;
export { MicroBatcher, type MicroBatcherOptions } from \x27./scoring/micro-batcher\x27;

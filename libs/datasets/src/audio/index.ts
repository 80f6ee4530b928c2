export * from './wav';
export * from './wav-encoder';

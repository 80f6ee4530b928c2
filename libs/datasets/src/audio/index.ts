export * from './wav';
export * from './wav-encoder';
export * from './audio-features';

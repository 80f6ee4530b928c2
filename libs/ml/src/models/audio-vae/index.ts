export * from './types';
export * from './constants';
export * from './audio-vae';
export * from './audio-clip-model';
export * from './latent-density';

export * from './fft';
export * from './window';
export * from './stft';
export * from './mel';
export * from './wavelet';
export * from './statistics';
export * from './resample';
export * from './framing';

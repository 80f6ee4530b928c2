export * from './test-stack';
export * from './names';
export * from './detector-process';

export * from './test-stack';
export * from './names';
export * from './detector-process';
export * from './topics';

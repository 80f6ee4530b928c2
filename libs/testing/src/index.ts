export * from './test-stack';
export * from './names';

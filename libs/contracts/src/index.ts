export * from './generated/schemas';
export * from './errors';
export * from './topics';
export * from './validation';
export * from './samples';
export * from './modalities';
export * from './metric-names';

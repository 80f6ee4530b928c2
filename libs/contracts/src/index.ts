export * from './generated/schemas';
export * from './errors';
export * from './topics';
export * from './validation';
export * from './samples';

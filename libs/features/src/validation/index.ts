export * from './table';
export * from './expectations';
export * from './validation';

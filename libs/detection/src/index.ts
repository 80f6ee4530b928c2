export {};
export * from './windows';

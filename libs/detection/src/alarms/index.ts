export * from './alarm-tracker';

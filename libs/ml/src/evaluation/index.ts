export * from './detection-metrics';
export * from './model-card';

export * from './model-manifest';
export * from './data-fingerprint';
export * from './model-registry';
export * from './calibration-scores';
export * from './sensor-health-file';

export * from './experiment-tracker';
export { MlflowApiError, MlflowRestClient } from './mlflow-rest-client';
export { MlflowModelVersionRegistry, MlflowTracker } from './mlflow-tracker';
export { LocalRunTracker, readLocalRun, type LocalMetric, type LocalRunRecord } from './local-run-tracker';
export { FolderModelVersionRegistry } from './folder-model-version-registry';
export { createTracking, MlflowMirroredRegistry, type Tracking, type TrackingOptions } from './create-tracking';

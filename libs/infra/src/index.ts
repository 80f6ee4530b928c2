export * from './stack';
export * from './versions';
export { infraPaths } from './paths';
export * from './mlflow';

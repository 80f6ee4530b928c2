export { ConfigError, loadConfig, processEnv, type Env } from './load-config';
export * from './fragments';
export { ML_BACKEND_NAMES } from './ml-backend-names';

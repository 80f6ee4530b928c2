/**
 * The simulators' environment, read and checked once: where Kafka, the schema registry and the real data sets
 * are. Nothing else in the package reads the environment.
 *
 * @example
 *   const config = simulatorConfig();    // cached
 *   config.kafkaBrokers;                  // ['127.0.0.1:9092']
 */
import { processEnv } from '@vigil/config';
import { resolveDataDir } from '@vigil/datasets';

export interface SimulatorConfig {
  kafkaBrokers: string[];
  registryUrl: string;
  dataDir: string;
  clientId: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

let cached: SimulatorConfig | undefined;

export function simulatorConfig(env: Readonly<Record<string, string | undefined>> = processEnv()): SimulatorConfig {
  if (env === processEnv() && cached) return cached;
  const brokers = (env.VIGIL_KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new ConfigError(`VIGIL_KAFKA_BROKERS must be host:port[,host:port…], got "${env.VIGIL_KAFKA_BROKERS}"`);
  }
  const registryUrl = env.VIGIL_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
  if (!/^https?:\/\//.test(registryUrl)) throw new ConfigError(`VIGIL_SCHEMA_REGISTRY_URL must be an http(s) URL, got "${registryUrl}"`);
  const config: SimulatorConfig = {
    kafkaBrokers: brokers,
    registryUrl,
    dataDir: resolveDataDir(env),
    clientId: env.VIGIL_SIM_CLIENT_ID ?? 'vigil-simulator',
  };
  if (env === processEnv()) cached = config;
  return config;
}

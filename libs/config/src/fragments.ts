/**
 * Configuration fragments shared by every process, so each variable means the same thing everywhere. Names are
 * the deployment contract: docker-compose, the Kubernetes ConfigMaps and the tests set exactly these.
 */
import { z } from 'zod';
import { ML_BACKEND_NAMES } from './ml-backend-names';

/** Comma-separated list, trimmed, empties dropped. */
export const csvList = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);
export const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** A boolean written only as `true` or `false` (e.g. the *_FROM_BEGINNING switches), with its default. */
export const trueOrFalse = (def: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(def)
    .transform((v) => v === 'true');
export const positiveInt = (def: number) => z.coerce.number().int().positive().default(def);
export const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);
export const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const kafkaConfig = z.object({
  VIGIL_KAFKA_BROKERS: csvList.default('127.0.0.1:9092'),
  /** TLS to the brokers (with the system CAs, or VIGIL_KAFKA_SSL_CA_FILE). */
  VIGIL_KAFKA_SSL: flag.default('false'),
  VIGIL_KAFKA_SSL_CA_FILE: z.string().optional(),
  VIGIL_KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  VIGIL_KAFKA_SASL_USERNAME: z.string().optional(),
  VIGIL_KAFKA_SASL_PASSWORD: z.string().optional(),
});
export type KafkaConfig = z.infer<typeof kafkaConfig>;

export const schemaRegistryConfig = z.object({
  VIGIL_SCHEMA_REGISTRY_URL: z.string().url().default('http://127.0.0.1:8081/apis/ccompat/v7'),
  VIGIL_SCHEMA_REGISTRY_USERNAME: z.string().optional(),
  VIGIL_SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
});
export type SchemaRegistryConfig = z.infer<typeof schemaRegistryConfig>;

export const clickhouseConfig = z.object({
  VIGIL_CLICKHOUSE_URL: z.string().url().default('http://127.0.0.1:8123'),
  VIGIL_CLICKHOUSE_DATABASE: z.string().regex(identifier, 'must be a plain identifier').default('vigil'),
  VIGIL_CLICKHOUSE_USERNAME: z.string().default('default'),
  VIGIL_CLICKHOUSE_PASSWORD: z.string().default(''),
});
export type ClickhouseConfig = z.infer<typeof clickhouseConfig>;

/**
 * `<PREFIX>_HTTP_HOST` / `<PREFIX>_HTTP_PORT` for a service's HTTP server. The host defaults to all interfaces,
 * so probes and Prometheus reach it in a pod or container; set 127.0.0.1 to keep it local.
 */
export function httpConfig<P extends string>(prefix: P, defaultPort: number) {
  return z.object({
    [`${prefix}_HTTP_HOST`]: z.string().default('0.0.0.0'),
    [`${prefix}_HTTP_PORT`]: port(defaultPort),
  } as Record<`${P}_HTTP_HOST`, z.ZodDefault<z.ZodString>> & Record<`${P}_HTTP_PORT`, z.ZodDefault<z.ZodNumber>>);
}

export const mlConfig = z.object({
  /** TensorFlow.js backend: real TensorFlow on the CPU (default), its GPU build, or pure JavaScript. */
  ML_BACKEND: z.enum(ML_BACKEND_NAMES).default('tensorflow'),
});

export const dataDirConfig = z.object({
  /** Root of the training/evaluation data sets; relative paths resolve against the repository root. */
  VIGIL_DATA_DIR: z.string().optional(),
});

export const logConfig = z.object({
  VIGIL_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});
export type LogConfig = z.infer<typeof logConfig>;

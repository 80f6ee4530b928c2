/**
 * The drift service's whole configuration, parsed and validated once at boot (through `loadConfig` of
 * `@vigil/config`, the one reader of process.env). Defaults: windows of 200 latents tested against a
 * 300-latent reference per model version; a retrain asked after 3 drifted windows in a row, at most every 30 min.
 */
import {
  clickhouseConfig,
  type Env,
  httpConfig,
  kafkaConfig,
  loadConfig,
  logConfig,
  positiveInt as int,
  processEnv,
  schemaRegistryConfig,
  trueOrFalse,
} from '@vigil/config';
import { DEFAULT_MAX_BUFFERED, DEFAULT_RETRAIN_POLICY, type RetrainPolicyConfig } from '@vigil/drift';
import { z } from 'zod';

export const driftConfigSchema = z.object({
  ...kafkaConfig.shape,
  ...schemaRegistryConfig.shape,
  ...clickhouseConfig.shape,
  ...httpConfig('DRIFT', 9465).shape,
  ...logConfig.shape,
  DRIFT_GROUP_ID: z.string().min(1).default('vigil-drift'),
  DRIFT_CLIENT_ID: z.string().min(1).default('vigil-drift'),
  /** Suffix for every topic name: lets tests run an isolated pipeline on a shared broker. */
  DRIFT_TOPIC_SUFFIX: z.string().default(''),
  DRIFT_REFERENCE_SIZE: int(300),
  DRIFT_WINDOW_SIZE: int(200),
  /** Latents between tests; = DRIFT_WINDOW_SIZE for tumbling windows. */
  DRIFT_HOP: int(200),
  DRIFT_ALPHA: z.coerce.number().gt(0).lt(0.5).default(0.05),
  DRIFT_PERMUTATIONS: int(100),
  /**
   * Latents are put back into event-time order before they are tested (partitions are read concurrently): how
   * far (ms of event time) one device may lag behind its fleet before the ordering stops waiting for it.
   */
  DRIFT_MAX_SKEW_MS: int(5 * 60_000),
  /** The most latents held for that ordering, per model version (memory bound). */
  DRIFT_ORDER_BUFFER: int(DEFAULT_MAX_BUFFERED),
  DRIFT_PERSISTENCE_WINDOWS: int(DEFAULT_RETRAIN_POLICY.persistenceWindows),
  DRIFT_QUIET_WINDOWS: int(DEFAULT_RETRAIN_POLICY.quietWindowsToClose),
  DRIFT_COOLDOWN_MS: z.coerce.number().int().min(0).default(DEFAULT_RETRAIN_POLICY.cooldownMs),
  DRIFT_MIN_NORMAL_SAMPLES: z.coerce.number().int().min(0).default(DEFAULT_RETRAIN_POLICY.minNormalSamples),
  DRIFT_FALSE_ALARMS_TO_TRIGGER: int(DEFAULT_RETRAIN_POLICY.falseAlarmsToTrigger),
  DRIFT_RETRAIN_TIMEOUT_MS: int(DEFAULT_RETRAIN_POLICY.retrainTimeoutMs),
  DRIFT_PARTITION_CONCURRENCY: int(6),
  DRIFT_FROM_BEGINNING: trueOrFalse('false'),
});

export type DriftConfig = z.infer<typeof driftConfigSchema>;

export const DRIFT_CONFIG = Symbol('DRIFT_CONFIG');

export function parseDriftConfig(env: Env): DriftConfig {
  const cfg = loadConfig(driftConfigSchema, env, 'drift');
  if (cfg.DRIFT_HOP > cfg.DRIFT_WINDOW_SIZE)
    throw new Error(`invalid drift configuration: DRIFT_HOP (${cfg.DRIFT_HOP}) must not exceed DRIFT_WINDOW_SIZE (${cfg.DRIFT_WINDOW_SIZE})`);
  return cfg;
}

export function loadDriftConfig(): DriftConfig {
  return parseDriftConfig(processEnv());
}

export function retrainPolicyOf(cfg: DriftConfig): RetrainPolicyConfig {
  return {
    persistenceWindows: cfg.DRIFT_PERSISTENCE_WINDOWS,
    quietWindowsToClose: cfg.DRIFT_QUIET_WINDOWS,
    cooldownMs: cfg.DRIFT_COOLDOWN_MS,
    minNormalSamples: cfg.DRIFT_MIN_NORMAL_SAMPLES,
    falseAlarmsToTrigger: cfg.DRIFT_FALSE_ALARMS_TO_TRIGGER,
    retrainTimeoutMs: cfg.DRIFT_RETRAIN_TIMEOUT_MS,
  };
}

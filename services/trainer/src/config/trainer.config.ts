/**
 * The trainer's whole configuration, parsed and validated once at boot (through `loadConfig` of
 * `@vigil/config`). `MLFLOW_TRACKING_URI` set: runs and versions go to MLflow too; unset: a local run folder.
 */
import { resolve } from 'node:path';
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
import { z } from 'zod';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');

export const trainerConfigSchema = z.object({
  ...kafkaConfig.shape,
  ...schemaRegistryConfig.shape,
  ...clickhouseConfig.shape,
  ...httpConfig('TRAINER', 9466).shape,
  ...logConfig.shape,
  TRAINER_GROUP_ID: z.string().min(1).default('vigil-trainer'),
  TRAINER_CLIENT_ID: z.string().min(1).default('vigil-trainer'),
  TRAINER_TOPIC_SUFFIX: z.string().default(''),
  /** The served registry folder of the model line (the detector's DETECTOR_SENSOR_MODEL_DIR is <root>/<name>). */
  TRAINER_REGISTRY_ROOT: z.string().default(resolve(REPO_ROOT, 'models', 'sensor')),
  TRAINER_MODEL_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/i)
    .default('pump-synthetic'),
  TRAINER_RUNS_DIR: z.string().default(resolve(REPO_ROOT, '.runs')),
  TRAINER_WORK_DIR: z.string().default(resolve(REPO_ROOT, '.infra', 'trainer')),
  MLFLOW_TRACKING_URI: z.string().url().optional(),
  TRAINER_WINDOW_STEPS: int(30),
  TRAINER_WINDOW_STRIDE: int(5),
  TRAINER_LOOKBACK_MS: int(60 * 60_000),
  TRAINER_EPOCHS: int(15),
  TRAINER_LATENT_DIM: int(8),
  /** KL weight after annealing (pump-synthetic v1 was trained at 1, v2 at 0.1 on 24 pumps; services/detector/scripts/sensor-beta-sweep.ts compares others). */
  TRAINER_KL_BETA: z.coerce.number().gt(0).max(4).default(1),
  TRAINER_SEED: int(5),
  TRAINER_MIN_TRAIN_WINDOWS: int(200),
  /** How much lower the challenger's held-out false-alarm rate must be (absolute). */
  TRAINER_MIN_IMPROVEMENT: z.coerce.number().min(0).max(1).default(0.02),
  TRAINER_FROM_BEGINNING: trueOrFalse('false'),
});

export type TrainerConfig = z.infer<typeof trainerConfigSchema>;

export const TRAINER_CONFIG = Symbol('TRAINER_CONFIG');

export function parseTrainerConfig(env: Env): TrainerConfig {
  return loadConfig(trainerConfigSchema, env, 'trainer');
}

export function loadTrainerConfig(): TrainerConfig {
  return parseTrainerConfig(processEnv());
}

/**
 * The API's whole configuration, parsed and validated once at boot from the environment (through `loadConfig` of
 * `@vigil/config`, the one reader of process.env). A bad value fails fast, naming the variable.
 *
 * API keys are configured as their SHA-256 hashes (`API_KEYS=name:role:sha256hex[:requestsPerMinute],…`), so the
 * deployment's secrets never hold a usable key; `npx tsx services/api/scripts/hash-api-key.ts <key>` prints one.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import {
  clickhouseConfig,
  csvList,
  type Env,
  httpConfig,
  kafkaConfig,
  loadConfig,
  logConfig,
  mlConfig,
  positiveInt as int,
  processEnv,
  schemaRegistryConfig,
  trueOrFalse,
} from '@vigil/config';
import { z } from 'zod';
import { ROLES, type Role } from '../security/principal';

export interface ApiKeySpec {
  name: string;
  role: Role;
  sha256: string;
  /** Requests per rate-limit window for this key; undefined = API_RATE_LIMIT. */
  limit?: number;
}

const apiKeyList = csvList.transform((items, ctx): ApiKeySpec[] =>
  items.flatMap((item) => {
    const [name, role, sha256, limit] = item.split(':');
    const ok =
      name &&
      /^[\w.-]{1,64}$/.test(name) &&
      ROLES.includes(role as Role) &&
      sha256 &&
      /^[0-9a-f]{64}$/.test(sha256) &&
      (limit === undefined || /^\d+$/.test(limit));
    if (!ok) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${name ?? ''}:…" must be name:role:sha256hex[:limit], role one of ${ROLES.join('|')}` });
      return [];
    }
    return [{ name, role: role as Role, sha256, limit: limit === undefined ? undefined : Number(limit) }];
  }),
);

export const apiConfigSchema = z.object({
  ...kafkaConfig.shape,
  ...schemaRegistryConfig.shape,
  ...clickhouseConfig.shape,
  ...httpConfig('API', 8080).shape,
  ...mlConfig.shape,
  ...logConfig.shape,
  API_CLIENT_ID: z.string().min(1).default('vigil-api'),
  /** Each replica consumes the live topics in a group of its own (this prefix + a random suffix), so every replica sees every result. */
  API_LIVE_GROUP_PREFIX: z.string().min(1).default('vigil-api-live'),
  /** Suffix for every topic name: lets tests run an isolated pipeline on a shared broker. */
  API_TOPIC_SUFFIX: z.string().default(''),
  API_KEYS: apiKeyList.default(''),
  /** HS256 secret for JWTs (≥ 32 characters); unset = JWTs are not accepted. */
  API_JWT_SECRET: z.string().min(32).optional(),
  API_JWT_ISSUER: z.string().optional(),
  API_JWT_AUDIENCE: z.string().optional(),
  API_RATE_LIMIT: int(600),
  API_RATE_WINDOW_MS: int(60_000),
  API_CORS_ORIGINS: csvList.default('http://localhost:5173'),
  API_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/)
    .default('64kb'),
  /** A time-series window or a drift-check sample as JSON numbers (at most 512 × 64 window values; 1,000 × 64 latents at ~20 characters each). */
  API_TIMESERIES_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/)
    .default('2mb'),
  API_IMAGE_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/)
    .default('8mb'),
  API_AUDIO_BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/)
    .default('4mb'),
  API_MODELS_DIR: z.string().default(resolve(__dirname, '..', '..', '..', '..', 'models')),
  /** The registry model (relative to API_MODELS_DIR) that scores time-series windows, as the detector does. */
  API_SENSOR_MODEL: z
    .string()
    .regex(/^[\w./-]+$/)
    .default('sensor/pump-synthetic'),
  /**
   * Where the time-series model runs its inference pass: `onnxruntime` (the default, as in the detector: the
   * tfjs-node call was ~45 % of the API's CPU per prediction) or `tfjs`. Both give the same scores within 1e-4.
   */
  API_INFERENCE_RUNTIME: z.enum(['onnxruntime', 'tfjs']).default('onnxruntime'),
  /** The image model (a @vigil/vision `manifest.json` folder under API_MODELS_DIR). */
  API_IMAGE_MODEL: z
    .string()
    .regex(/^[\w./-]+$/)
    .default('thermal-conv-vae'),
  /** The audio VAE (a window model over log-mel frames, registry folder under API_MODELS_DIR; newest version served). */
  API_AUDIO_MODEL: z
    .string()
    .regex(/^[\w./-]+$/)
    .default('cwru-bearing-audio-vae'),
  /** The fused multimodal VAE the detector serves as FUSED (registry folder under API_MODELS_DIR; newest version served). */
  API_MULTIMODAL_MODEL: z
    .string()
    .regex(/^[\w./-]+$/)
    .default('multimodal-pump'),
  /** Where vision backbones are cached (Gaussian models only). */
  API_VISION_CACHE_DIR: z.string().default(resolve(homedir(), '.cache', 'vigil')),
  API_THRESHOLD_RISK: z.coerce.number().gt(0).lt(0.02).default(1e-3),
  /** A device is offline when its last window ended longer ago than this. */
  API_OFFLINE_AFTER_MS: int(30_000),
  /** Live fan-out: telemetry aggregates are sent once per tick. */
  API_LIVE_TICK_MS: int(250),
  /** Results per device sent as the snapshot on join. */
  API_SNAPSHOT_RESULTS: int(20),
  /** How long alerts are kept for connection-state recovery. */
  API_ALERT_REPLAY_MS: int(120_000),
  /** A client whose unsent packets exceed this is cut off (it reconnects and recovers its alerts). */
  API_SOCKET_MAX_BUFFERED: int(1000),
  API_LIVE_FROM_BEGINNING: trueOrFalse('false'),
});

export type ApiConfig = z.infer<typeof apiConfigSchema>;

export const API_CONFIG = Symbol('API_CONFIG');

export function parseApiConfig(env: Env): ApiConfig {
  return loadConfig(apiConfigSchema, env, 'api');
}

/** The process environment, validated. */
export function loadApiConfig(): ApiConfig {
  return parseApiConfig(processEnv());
}

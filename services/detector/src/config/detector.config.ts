/**
 * The detector's whole configuration, parsed and validated once at boot from the environment (through
 * `loadConfig` of `@vigil/config`, the one reader of process.env). A bad value fails fast, naming the variable.
 */
import { resolve } from 'node:path';
import {
  clickhouseConfig,
  type Env,
  processEnv,
  httpConfig,
  kafkaConfig,
  loadConfig,
  logConfig,
  mlConfig,
  schemaRegistryConfig,
  csvList as csv,
  positiveInt as int,
  trueOrFalse,
} from '@vigil/config';
import { isStreamModality } from '@vigil/contracts';
import { parseDeviceRoutes } from '@vigil/detection';
import { z } from 'zod';

export const detectorConfigSchema = z.object({
  ...kafkaConfig.shape,
  ...schemaRegistryConfig.shape,
  ...clickhouseConfig.shape,
  ...httpConfig('DETECTOR', 9464).shape,
  ...mlConfig.shape,
  ...logConfig.shape,
  DETECTOR_GROUP_ID: z.string().min(1).default('vigil-detector'),
  DETECTOR_CLIENT_ID: z.string().min(1).default('vigil-detector'),
  /** Suffix for every topic name: lets tests run an isolated pipeline on a shared broker. */
  DETECTOR_TOPIC_SUFFIX: z.string().default(''),
  DETECTOR_WINDOW_MS: int(3000),
  DETECTOR_HOP_MS: int(1000),
  DETECTOR_ALLOWED_LATENESS_MS: z.coerce.number().int().min(0).default(1000),
  DETECTOR_EXPECTED_MODALITIES: csv.default('SENSOR'),
  /**
   * `staggered` (default): each device's window grid is shifted by a stable per-device phase, so a fleet's
   * windows close spread over the hop instead of all at once (lower, steadier latency). `aligned`: every
   * device on the epoch grid (windows of all devices share start times).
   */
  DETECTOR_WINDOW_PHASE: z.enum(['staggered', 'aligned']).default('staggered'),
  DETECTOR_SENSOR_MODEL_DIR: z.string().default(resolve(__dirname, '..', '..', '..', '..', 'models', 'sensor', 'pump-synthetic')),
  /**
   * The multimodal VAE (a registry model folder or one version), scoring every window's sensor, sound and image
   * together as `FUSED` beside the sensor model; `none` serves the single-modality models only.
   */
  DETECTOR_MULTIMODAL_MODEL_DIR: z.string().default(resolve(__dirname, '..', '..', '..', '..', 'models', 'multimodal-pump')),
  /**
   * Where the sensor VAE runs its inference pass: `onnxruntime` (default; its ONNX export, which
   * `npm run bench:ml-runtime` measures 25–50× faster per call than tfjs-node) or `tfjs` (tfjs-node, on ML_BACKEND).
   */
  DETECTOR_INFERENCE_RUNTIME: z.enum(['onnxruntime', 'tfjs']).default('onnxruntime'),
  /**
   * The same for the fused multimodal VAE (its parts as two graphs, PoE in plain arrays): less CPU per window and,
   * measured live at 200 × 50 Hz with every modality, 206 windows/s against 153 on tfjs (README). A MoE-fused model
   * always stays on tfjs.
   */
  DETECTOR_MULTIMODAL_INFERENCE_RUNTIME: z.enum(['onnxruntime', 'tfjs']).default('onnxruntime'),
  /**
   * The vision model scoring each window's camera frame as `IMAGE` (a vision model folder, `manifest.json` of
   * @vigil/vision): the thermal conv VAE for the simulator's frames (default), a feature-VAE folder such as
   * models/mtd-feature-vae for camera frames (its EfficientNet-Lite2 backbone runs per frame: a frame takes 60–64 ms
   * from decode to map at 256 px on two threads, about half of it the backbone; libs/vision/README.md), `none` for no image scorer. Each frame is scored once, in the first window that has it.
   */
  DETECTOR_IMAGE_MODEL_DIR: z.string().default(resolve(__dirname, '..', '..', '..', '..', 'models', 'thermal-conv-vae')),
  /**
   * The audio VAE served as the `AUDIO` scorer (a registry model folder or one version; `none` for none): the
   * fallback for sound when no fused model is served (DETECTOR_MULTIMODAL_MODEL_DIR=none), or beside it with
   * DETECTOR_AUDIO_BESIDE_FUSED. Default models/pump-synthetic-audio-vae, the synthetic pumps' sound.
   */
  DETECTOR_AUDIO_MODEL_DIR: z.string().default(resolve(__dirname, '..', '..', '..', '..', 'models', 'pump-synthetic-audio-vae')),
  /** Serve the audio scorer beside the fused model too (default false: the fused model already scores the sound). */
  DETECTOR_AUDIO_BESIDE_FUSED: trueOrFalse('false'),
  /** Where the conv VAE runs: `onnxruntime` (default; its ONNX export) or `tfjs`. A feature VAE always runs on ONNX Runtime. */
  DETECTOR_IMAGE_INFERENCE_RUNTIME: z.enum(['onnxruntime', 'tfjs']).default('onnxruntime'),
  /**
   * Where the served models' ONNX Runtime sessions run: `worker` (default) in one worker thread shared by all of
   * them, so a forward pass no longer blocks the event loop (onnxruntime-node runs a session synchronously on the
   * calling thread) and Kafka fetches, window closing and publishing go on meanwhile; `in-thread` on the event
   * loop itself (one copy of the inputs and a message round trip fewer per call).
   */
  DETECTOR_ONNX_SESSION_HOST: z.enum(['worker', 'in-thread']).default('worker'),
  /** Download cache holding the converted image backbone a feature-VAE model needs (default `VIGIL_CACHE_DIR` rules: ~/.cache/vigil). */
  DETECTOR_VISION_CACHE_DIR: z.string().optional(),
  /**
   * Models for other kinds of machine in the fleet, by device id: `name:pattern[,pattern]=dir[+dir]` routes
   * separated by `;`, e.g. `engines:cmapss-fd001-*=models/cmapss-fd001-cnn/v1`. A routed device is scored by its
   * route's models only (their own thresholds); every other device by the models above. Empty: one fleet.
   */
  DETECTOR_DEVICE_ROUTES: z.string().default(''),
  /** How often to look for a newer model version in the registry (0 = never). */
  DETECTOR_MODEL_POLL_MS: z.coerce.number().int().min(0).default(10_000),
  DETECTOR_THRESHOLD_RISK: z.coerce.number().gt(0).lt(0.02).default(1e-3),
  /**
   * What SPOT learns from scores over its threshold: `isolated` (default) the first of each run of anomalies,
   * so the false-alarm rate stays near the risk over days while a sustained fault does not raise the threshold
   * at every window; `never` is the paper's rule (the alarm rate creeps to ~17× the risk within days on
   * stationary scores, see libs/detection bench:spot); `always` learns every anomaly.
   */
  DETECTOR_THRESHOLD_ANOMALY_LEARNING: z.enum(['isolated', 'never', 'always']).default('isolated'),
  /**
   * A device silent this long is offline: one state change (logged, `vigil_detector_offline_devices`) instead
   * of an empty window per hop; a gap this long in its event time is skipped, its windows resume at its next data.
   */
  DETECTOR_OFFLINE_AFTER_MS: int(30_000),
  DETECTOR_MAX_BATCH_WINDOWS: int(64),
  DETECTOR_BATCH_DEADLINE_MS: int(20),
  DETECTOR_FLUSH_INTERVAL_MS: int(1000),
  DETECTOR_FLUSH_MAX_ROWS: int(5000),
  DETECTOR_PARTITION_CONCURRENCY: int(6),
  DETECTOR_ROOT_CAUSE_PER_BATCH: z.coerce.number().int().min(0).default(16),
  /**
   * Flagged windows per second that also get their latent dimensions ranked (one extra decode per scoring
   * call that has any): in an alarm storm the rest keep the channel and time-step root cause only.
   */
  DETECTOR_LATENT_ATTRIBUTIONS_PER_S: z.coerce.number().int().min(0).default(5),
  /**
   * The root-cause worker (services/detector/src/root-cause): milliseconds of KernelSHAP per second of wall
   * clock (0 = off), coalitions per explanation, and flagged windows it may queue (the oldest are dropped).
   */
  DETECTOR_SHAP_BUDGET_MS_PER_S: z.coerce.number().int().min(0).default(100),
  DETECTOR_SHAP_MAX_COALITIONS: int(256),
  DETECTOR_SHAP_QUEUE: int(64),
  DETECTOR_FROM_BEGINNING: trueOrFalse('false'),
});

export type DetectorConfig = z.infer<typeof detectorConfigSchema>;

export const DETECTOR_CONFIG = Symbol('DETECTOR_CONFIG');

export function parseDetectorConfig(env: Env): DetectorConfig {
  const cfg = loadConfig(detectorConfigSchema, env, 'detector');
  if (cfg.DETECTOR_WINDOW_MS % cfg.DETECTOR_HOP_MS !== 0) {
    throw new Error(
      `invalid detector configuration: DETECTOR_WINDOW_MS (${cfg.DETECTOR_WINDOW_MS}) must be a multiple of DETECTOR_HOP_MS (${cfg.DETECTOR_HOP_MS})`,
    );
  }
  try {
    parseDeviceRoutes(cfg.DETECTOR_DEVICE_ROUTES);
  } catch (err) {
    throw new Error(`invalid detector configuration: DETECTOR_DEVICE_ROUTES: ${(err as Error).message}`);
  }
  const bad = cfg.DETECTOR_EXPECTED_MODALITIES.filter((m) => !isStreamModality(m));
  if (bad.length > 0) throw new Error(`invalid detector configuration: DETECTOR_EXPECTED_MODALITIES has unknown ${bad.join(',')}`);
  return cfg;
}

/** The process environment, validated. */
export function loadDetectorConfig(): DetectorConfig {
  return parseDetectorConfig(processEnv());
}

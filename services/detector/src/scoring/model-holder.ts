/**
 * The models the detector serves right now, one scorer per modality (a `ScorerRegistry`), with what belongs to
 * them: per-device thresholds (scores of different models are not comparable) and a micro-batcher per scorer.
 * A swap replaces the whole set at once; calls that already took the previous one finish with it, so no window
 * is lost or scored by a mix of both.
 */
import {
  type DeviceRoute,
  DeviceThresholds,
  exceptRoutes,
  type FrameInputs,
  MicroBatcher,
  type ModalityScorer,
  ObservationMemo,
  routed,
  routeMatcher,
  ScorerRegistry,
  slotOf,
  stackInputs,
} from '@vigil/detection';
import type { DetectorConfig } from '../config/detector.config';
import { type DetectorMetrics, recordServedModels } from '../observability/metrics';

/** A scorer as loaded: where from, and the held-out normal scores its thresholds start from. */
export interface LoadedScorer {
  scorer: ModalityScorer;
  /** The devices it serves, for a scorer of a device route (DETECTOR_DEVICE_ROUTES); absent: every device no route names. */
  route?: DeviceRoute;
  /** Where it was loaded from (a registry version folder), to notice newer versions. */
  source: string;
  calibrationScores: ArrayLike<number>;
  /**
   * Set for a scorer served from a registry model folder (versions below it): the model watcher serves each newer
   * version as it appears (`latest` names the newest version folder, `load` loads one like this scorer).
   */
  registry?: ScorerRegistryFolder;
}

export interface ScorerRegistryFolder {
  latest(): Promise<string>;
  load(versionDir: string): Promise<LoadedScorer>;
}

/** What one model call gives per window. */
export interface ScoredFrame {
  score: number;
  mean: Float32Array;
  logVar: Float32Array;
  /** The window's reconstruction per input, raw units: what the explainer needs. */
  reconstruction: Record<string, Float32Array>;
  /** A fused model's share of the score per input. */
  shares?: Readonly<Record<string, number>>;
}

/** A scored window's frame and outputs, as the scoring service keeps them. */
export type ScoredWindow = { inputs: FrameInputs } & ScoredFrame;

export interface ServingScorer extends LoadedScorer {
  batcher: MicroBatcher<FrameInputs, ScoredFrame>;
  /** Per device, the outcome of its latest observation, for scorers whose observations span windows (`observationKey`). */
  observations: ObservationMemo<ScoredWindow>;
}

export interface ServingModel {
  registry: ScorerRegistry;
  scorers: ServingScorer[];
  /** The served versions, one per modality (`pump-synthetic@v2`, or `a@v1+b@v3` with several). */
  version: string;
  thresholds: DeviceThresholds;
  /** Devices whose checkpointed threshold state has been restored into `thresholds`. */
  restored: Set<string>;
}

export class ModelHolder {
  constructor(private serving: ServingModel) {}

  get current(): ServingModel {
    return this.serving;
  }

  /** Returns the set it replaced, for the caller to dispose once in-flight calls are done. */
  swap(next: ServingModel): ServingModel {
    const previous = this.serving;
    this.serving = next;
    return previous;
  }
}

/** Everything the loaded scorers need to be served; the holder swaps it in as one piece. */
export function prepareServingModel(given: readonly LoadedScorer[], cfg: DetectorConfig, metrics: DetectorMetrics): ServingModel {
  // Routed scorers serve their route's devices; the others every device no route names.
  const routes = given.flatMap((l) => (l.route ? [l.route] : []));
  const loaded = routes.length === 0 ? given : given.map((l) => ({ ...l, scorer: routed(l.scorer, l.route ? routeMatcher(l.route) : exceptRoutes(routes)) }));
  const registry = new ScorerRegistry();
  for (const l of loaded) registry.register(l.scorer);
  recordServedModels(
    metrics,
    loaded.map((l) => ({ modality: l.scorer.modality, version: l.scorer.model.version })),
  );
  const scorers = loaded.map((l) => ({
    ...l,
    batcher: new MicroBatcher((frames: FrameInputs[]) => scoreFrames(l.scorer, frames, metrics), {
      maxBatch: cfg.DETECTOR_MAX_BATCH_WINDOWS,
      deadlineMs: cfg.DETECTOR_BATCH_DEADLINE_MS,
    }),
    observations: new ObservationMemo<ScoredWindow>(),
  }));
  return {
    registry,
    scorers,
    version: loaded.map((l) => l.scorer.model.version).join('+'),
    thresholds: new DeviceThresholds(Object.fromEntries(loaded.map((l) => [slotOf(l.scorer), l.calibrationScores])), {
      q: cfg.DETECTOR_THRESHOLD_RISK,
      discardAnomalies: cfg.DETECTOR_THRESHOLD_ANOMALY_LEARNING !== 'always',
      learnIsolatedAnomalies: cfg.DETECTOR_THRESHOLD_ANOMALY_LEARNING === 'isolated',
    }),
    restored: new Set(),
  };
}

/** One model call for a micro-batch of frames (on the model's fastest runtime): scores, latent posteriors and reconstructions. */
async function scoreFrames(scorer: ModalityScorer, frames: FrameInputs[], metrics: DetectorMetrics): Promise<ScoredFrame[]> {
  const t0 = performance.now();
  const { model } = scorer;
  const batch = stackInputs(model, frames);
  const { scores, latent, reconstruction, shares } = model.assessAsync ? await model.assessAsync(batch) : model.assess(batch);
  metrics.scoringLatency.observe({ modality: scorer.modality }, (performance.now() - t0) / 1000);
  const d = latent.latentDim;
  const sizes = Object.fromEntries(Object.entries(reconstruction).map(([name, data]) => [name, data.length / frames.length]));
  return frames.map((_, i) => ({
    score: scores[i]!,
    mean: latent.mean.subarray(i * d, (i + 1) * d),
    logVar: latent.logVar.subarray(i * d, (i + 1) * d),
    reconstruction: Object.fromEntries(Object.entries(reconstruction).map(([name, data]) => [name, data.subarray(i * sizes[name]!, (i + 1) * sizes[name]!)])),
    ...(shares ? { shares: shares[i] } : {}),
  }));
}

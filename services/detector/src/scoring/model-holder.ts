/**
 * The model the detector serves right now, with what belongs to it: its per-device thresholds (scores of
 * different models are not comparable) and its micro-batcher. A swap replaces all three at once; calls that
 * already took the previous one finish with it, so no window is lost or scored by a mix of both.
 */
import { DeviceThresholds, MicroBatcher } from '@vigil/detection';
import { concatWindows, type WindowBatch, type WindowModel } from '@vigil/ml';
import type { DetectorConfig } from '../config/detector.config';
import type { DetectorMetrics } from '../observability/metrics';
import type { SensorModel } from './sensor-model.loader';

export interface SensorScore {
  score: number;
  mean: Float32Array;
  logVar: Float32Array;
  /** The window's reconstruction `[steps][channels]`, raw units: what the explainer needs. */
  reconstruction: Float32Array;
}

export interface ServingModel {
  model: WindowModel;
  /** Where it was loaded from (a registry version folder), to notice newer versions. */
  source: string;
  thresholds: DeviceThresholds;
  batcher: MicroBatcher<Float32Array, SensorScore>;
  /** Devices whose checkpointed threshold state has been restored into `thresholds`. */
  restored: Set<string>;
}

export class ModelHolder {
  constructor(private serving: ServingModel) {}

  get current(): ServingModel {
    return this.serving;
  }

  /** Returns the model it replaced, for the caller to dispose once in-flight calls are done. */
  swap(next: ServingModel): ServingModel {
    const previous = this.serving;
    this.serving = next;
    return previous;
  }
}

/** Everything a loaded model needs to be served; the holder swaps it in as one piece. */
export function prepareServingModel(loaded: SensorModel, source: string, cfg: DetectorConfig, metrics: DetectorMetrics): ServingModel {
  const { model } = loaded;
  return {
    model,
    source,
    thresholds: new DeviceThresholds(
      { SENSOR: loaded.calibrationScores },
      {
        q: cfg.DETECTOR_THRESHOLD_RISK,
        discardAnomalies: cfg.DETECTOR_THRESHOLD_ANOMALY_LEARNING !== 'always',
        learnIsolatedAnomalies: cfg.DETECTOR_THRESHOLD_ANOMALY_LEARNING === 'isolated',
      },
    ),
    batcher: new MicroBatcher((frames) => scoreSensorFrames(model, frames, metrics), {
      maxBatch: cfg.DETECTOR_MAX_BATCH_WINDOWS,
      deadlineMs: cfg.DETECTOR_BATCH_DEADLINE_MS,
    }),
    restored: new Set(),
  };
}

/** Frames `[steps][channels]` of `model` as one window batch. */
export function stackFrames(model: Pick<WindowModel, 'steps' | 'channels'>, frames: readonly Float32Array[]): WindowBatch {
  return concatWindows(frames.map((data) => ({ data, batch: 1, steps: model.steps, channels: model.channels })));
}

/** One model call for a micro-batch of frames: scores, latent posteriors and reconstructions. */
function scoreSensorFrames(model: WindowModel, frames: Float32Array[], metrics: DetectorMetrics): SensorScore[] {
  const t0 = performance.now();
  const size = model.steps * model.channels;
  const { scores, latent, reconstruction } = model.assess(stackFrames(model, frames));
  metrics.scoringLatency.observe({ modality: 'SENSOR' }, (performance.now() - t0) / 1000);
  const d = latent.latentDim;
  return frames.map((_, i) => ({
    score: scores[i]!,
    mean: latent.mean.subarray(i * d, (i + 1) * d),
    logVar: latent.logVar.subarray(i * d, (i + 1) * d),
    reconstruction: reconstruction.data.subarray(i * size, (i + 1) * size),
  }));
}

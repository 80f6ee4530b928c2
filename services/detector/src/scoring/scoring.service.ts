/**
 * Orchestration only: closed windows → sensor frames → one micro-batched model call across devices →
 * per-device SPOT thresholds → results, latents and checkpoints → durable (awaited).
 *
 * Fusion today is late fusion over the modalities that have a model: each modality's score is divided by its
 * own threshold and the fused score is the largest ratio (fused threshold 1). The multimodal VAE (PoE/MoE)
 * replaces this when it lands; the result contract already carries per-modality and fused scores.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { AnomalyResult, DetectorCheckpoint, LatentVector, ModalityScore } from '@vigil/contracts';
import { type AlignedWindow, type DeviceThresholds, MicroBatcher, sensorFrame } from '@vigil/detection';
import type { WindowModel } from '@vigil/ml';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { SENSOR_MODEL, THRESHOLDS } from '../detector.tokens';
import { DetectorMetrics } from '../observability/metrics';
import { ResultSink, type WindowOutput } from '../results/result-sink';
import { CheckpointStore } from '../thresholds/checkpoint-store';
import { explainSensorWindow } from './sensor-explanation';

interface SensorScore {
  score: number;
  mean: Float32Array;
  logVar: Float32Array;
}

@Injectable()
export class ScoringService {
  private readonly sensorBatcher: MicroBatcher<Float32Array, SensorScore>;
  private readonly restored = new Set<string>();
  private readonly rootCausePerCall: number;

  constructor(
    @Inject(DETECTOR_CONFIG) cfg: DetectorConfig,
    @Inject(SENSOR_MODEL) private readonly sensorModel: WindowModel,
    @Inject(THRESHOLDS) private readonly thresholds: DeviceThresholds,
    @Inject(ResultSink) private readonly sink: ResultSink,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
  ) {
    this.sensorBatcher = new MicroBatcher((frames) => this.scoreSensorFrames(frames), {
      maxBatch: cfg.DETECTOR_MAX_BATCH_WINDOWS,
      deadlineMs: cfg.DETECTOR_BATCH_DEADLINE_MS,
    });
    this.rootCausePerCall = cfg.DETECTOR_ROOT_CAUSE_PER_BATCH;
  }

  async process(windows: AlignedWindow[]): Promise<void> {
    const closedAt = performance.now();
    const model = this.sensorModel;
    const withSensor = windows.filter((w) => w.sensor.length > 0);
    const frames = withSensor.map((w) => sensorFrame(w.sensor as never, w.startMs, w.endMs, model.channelNames, model.steps).data);
    const scored = await this.sensorBatcher.submit(frames);
    const sensorScores = new Map(withSensor.map((w, i) => [w, { frame: frames[i]!, ...scored[i]! }]));

    let explained = 0;
    const outputs: WindowOutput[] = windows.map((w) => {
      this.restoreOnce(w.deviceId);
      const modalities: ModalityScore[] = [];
      const latents: LatentVector[] = [];
      const sensor = sensorScores.get(w);
      let rootCause: AnomalyResult['rootCause'] = null;
      if (sensor) {
        const judged = this.thresholds.judge(w.deviceId, 'SENSOR', sensor.score);
        modalities.push({ modality: 'SENSOR', score: sensor.score, threshold: judged.threshold, isAnomaly: judged.isAnomaly });
        latents.push({
          deviceId: w.deviceId,
          windowStartMs: w.startMs,
          windowEndMs: w.endMs,
          modality: 'SENSOR',
          mean: Array.from(sensor.mean),
          logVar: Array.from(sensor.logVar),
          score: sensor.score,
          modelVersion: model.version,
        });
        if (judged.isAnomaly && explained < this.rootCausePerCall) {
          explained++;
          rootCause = explainSensorWindow(model, sensor.frame);
        }
      }
      for (const m of w.missing) this.metrics.missingModality.inc({ modality: m });
      const ratios = modalities.map((m) => (m.threshold > 0 ? m.score / m.threshold : 0));
      const fusedScore = ratios.length ? Math.max(...ratios) : 0;
      const isAnomaly = modalities.some((m) => m.isAnomaly);
      for (const m of modalities) if (m.isAnomaly) this.metrics.anomalies.inc({ modality: m.modality });
      const result: AnomalyResult = {
        deviceId: w.deviceId,
        windowStartMs: w.startMs,
        windowEndMs: w.endMs,
        modelVersion: model.version,
        modalities,
        missingModalities: w.missing,
        fusedScore,
        fusedThreshold: 1,
        isAnomaly,
        rootCause,
        processedAtMs: Date.now(),
      };
      const checkpoint: DetectorCheckpoint = {
        deviceId: w.deviceId,
        modelVersion: model.version,
        lastWindowStartMs: w.startMs,
        thresholdStates: this.thresholds.stateOf(w.deviceId),
        updatedAtMs: Date.now(),
      };
      return { result, latents, checkpoint };
    });
    this.metrics.windows.inc(windows.length);
    await this.sink.write(outputs);
    const seconds = (performance.now() - closedAt) / 1000;
    for (let i = 0; i < windows.length; i++) this.metrics.windowLatency.observe(seconds);
  }

  private restoreOnce(deviceId: string): void {
    if (this.restored.has(deviceId)) return;
    this.restored.add(deviceId);
    const states = this.checkpoints.thresholdStates(deviceId);
    if (states) this.thresholds.restore(deviceId, states);
  }

  private scoreSensorFrames(frames: Float32Array[]): SensorScore[] {
    const t0 = performance.now();
    const m = this.sensorModel;
    const size = m.steps * m.channels;
    const data = new Float32Array(frames.length * size);
    frames.forEach((f, i) => data.set(f, i * size));
    const batch = { data, batch: frames.length, steps: m.steps, channels: m.channels };
    const scores = m.score(batch);
    const latent = m.encode(batch);
    this.metrics.scoringLatency.observe({ modality: 'SENSOR' }, (performance.now() - t0) / 1000);
    const d = latent.latentDim;
    return frames.map((_, i) => ({
      score: scores[i]!,
      mean: latent.mean.subarray(i * d, (i + 1) * d),
      logVar: latent.logVar.subarray(i * d, (i + 1) * d),
    }));
  }
}

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
import { type AlignedWindow, latentSensitivities, sensorFrame } from '@vigil/detection';
import type { WindowModel } from '@vigil/ml';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { ResultSink, type WindowOutput } from '../results/result-sink';
import { CheckpointStore } from '../thresholds/checkpoint-store';
import { ModelHolder, type SensorScore, type ServingModel, stackFrames } from './model-holder';
import { explainSensorWindow } from './sensor-explanation';
import { TokenBucket } from './token-bucket';

/** Latent dimensions named per flagged window. */
const TOP_LATENTS = 3;

/** A flagged window's result, to be given its root cause, and what its scoring pass produced. */
interface Flagged {
  result: AnomalyResult;
  sensor: SensorScore & { frame: Float32Array };
}

@Injectable()
export class ScoringService {
  private readonly rootCausePerCall: number;
  private readonly latentBudget: TokenBucket;

  constructor(
    @Inject(DETECTOR_CONFIG) cfg: DetectorConfig,
    @Inject(ModelHolder) private readonly holder: ModelHolder,
    @Inject(ResultSink) private readonly sink: ResultSink,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
  ) {
    this.rootCausePerCall = cfg.DETECTOR_ROOT_CAUSE_PER_BATCH;
    this.latentBudget = new TokenBucket(cfg.DETECTOR_LATENT_ATTRIBUTIONS_PER_S);
  }

  /**
   * Scores the windows now and hands the outputs to the sink. Resolves once scored, with a promise that
   * settles when they are durable: the caller keeps their offsets uncommitted until then, without waiting
   * for it (so a partition keeps flowing while the previous flush is written).
   */
  async process(windows: AlignedWindow[]): Promise<{ durable: Promise<void> }> {
    const closedAt = performance.now();
    const serving = this.holder.current; // one model for the whole call, even if a swap happens meanwhile
    const { model, thresholds } = serving;
    const withSensor = windows.filter((w) => w.sensor.length > 0);
    const frames = withSensor.map((w) => sensorFrame(w.sensor as never, w.startMs, w.endMs, model.channelNames, model.steps).data);
    const scored = await serving.batcher.submit(frames);
    const sensorScores = new Map(withSensor.map((w, i) => [w, { frame: frames[i]!, ...scored[i]! }]));

    const toExplain: Flagged[] = [];
    const outputs: WindowOutput[] = windows.map((w) => {
      this.restoreOnce(serving, w.deviceId);
      const modalities: ModalityScore[] = [];
      const latents: LatentVector[] = [];
      const sensor = sensorScores.get(w);
      let flagged = false;
      if (sensor) {
        const judged = thresholds.judge(w.deviceId, 'SENSOR', sensor.score);
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
        flagged = judged.isAnomaly;
      }
      for (const m of w.missing) this.metrics.missingModality.inc({ modality: m });
      const ratios = modalities.map((m) => (m.threshold > 0 ? m.score / m.threshold : 0));
      const isAnomaly = modalities.some((m) => m.isAnomaly);
      for (const m of modalities) if (m.isAnomaly) this.metrics.anomalies.inc({ modality: m.modality });
      const result: AnomalyResult = {
        deviceId: w.deviceId,
        windowStartMs: w.startMs,
        windowEndMs: w.endMs,
        modelVersion: model.version,
        modalities,
        missingModalities: w.missing,
        fusedScore: ratios.length ? Math.max(...ratios) : 0,
        fusedThreshold: 1,
        isAnomaly,
        rootCause: null,
        processedAtMs: Date.now(),
      };
      if (flagged && sensor && toExplain.length < this.rootCausePerCall) toExplain.push({ result, sensor });
      const checkpoint: DetectorCheckpoint = {
        deviceId: w.deviceId,
        modelVersion: model.version,
        lastWindowStartMs: w.startMs,
        thresholdStates: thresholds.stateOf(w.deviceId),
        updatedAtMs: Date.now(),
      };
      return { result, latents, checkpoint };
    });
    this.explain(model, toExplain);
    this.metrics.windows.inc(windows.length);
    const scoredAt = performance.now();
    this.observeStage('score', windows.length, scoredAt - closedAt);
    const { published, durable } = this.sink.write(outputs);
    published.then(
      () => this.observeStage('publish', windows.length, performance.now() - scoredAt),
      () => {}, // the failure surfaces through `durable`
    );
    return {
      durable: durable.then(() => {
        const now = performance.now();
        this.observeStage('durable', windows.length, now - scoredAt);
        for (let i = 0; i < windows.length; i++) this.metrics.windowLatency.observe((now - closedAt) / 1000);
      }),
    };
  }

  /** The group has rejoined and the replay starts: see ResultSink.reset(). */
  reset(): void {
    this.sink.reset();
  }

  /** Write what the sink buffers now instead of at its next interval (graceful shutdown). */
  flush(): Promise<void> {
    return this.sink.flush();
  }

  /** Outputs waiting for a flush; callers slow down when the sink falls behind. */
  get pendingOutputs(): number {
    return this.sink.pending;
  }

  /**
   * Root cause for the flagged windows of this call (at most DETECTOR_ROOT_CAUSE_PER_BATCH): channel and step
   * shares from the scoring pass's reconstruction, and, within DETECTOR_LATENT_ATTRIBUTIONS_PER_S, the latent
   * dimensions that move each score most, from one decode call for all of them.
   */
  private explain(model: WindowModel, flagged: Flagged[]): void {
    if (flagged.length === 0) return;
    const attributed = this.latentBudget.take(flagged.length);
    for (const { result, sensor } of flagged.slice(attributed)) result.rootCause = explainSensorWindow(model, sensor.frame, sensor.reconstruction);
    if (attributed === 0) return;
    const withLatents = flagged.slice(0, attributed);
    const d = model.latentDim;
    const latent = { mean: new Float32Array(attributed * d), logVar: new Float32Array(attributed * d), batch: attributed, latentDim: d };
    withLatents.forEach(({ sensor }, i) => {
      latent.mean.set(sensor.mean, i * d);
      latent.logVar.set(sensor.logVar, i * d);
    });
    const windows = stackFrames(model, withLatents.map(({ sensor }) => sensor.frame));
    const sensitivities = latentSensitivities(model, windows, latent, { residualScale: model.channelScale });
    withLatents.forEach(({ result, sensor }, i) => {
      const topLatents = sensitivities[i]!.slice(0, TOP_LATENTS).map((l) => l.dimension);
      result.rootCause = explainSensorWindow(model, sensor.frame, sensor.reconstruction, topLatents);
    });
  }

  private observeStage(stage: 'score' | 'publish' | 'durable', windows: number, ms: number): void {
    for (let i = 0; i < windows; i++) this.metrics.stageLatency.observe({ stage }, ms / 1000);
  }

  private restoreOnce(serving: ServingModel, deviceId: string): void {
    if (serving.restored.has(deviceId)) return;
    serving.restored.add(deviceId);
    const states = this.checkpoints.thresholdStates(deviceId, serving.model.version);
    if (states) serving.thresholds.restore(deviceId, states);
  }
}

/**
 * Orchestration only, for every modality the same way: closed windows → each registered scorer's frames → one
 * micro-batched model call per scorer across devices → per-device SPOT thresholds per modality → fusion →
 * results, latents and checkpoints → durable (awaited). No modality-specific code: scorers (libs/detection)
 * build frames and explain; fusion is `lateFusion` until a fused model serves the window itself.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { AnomalyResult, DetectorCheckpoint, LatentVector, ModalityScore, StreamModality } from '@vigil/contracts';
import { type AlignedWindow, type FlaggedFrame, type FrameInputs, lateFusion } from '@vigil/detection';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { ResultSink, type WindowOutput } from '../results/result-sink';
import { CheckpointStore } from '../thresholds/checkpoint-store';
import { ModelHolder, type ScoredFrame, type ServingModel, type ServingScorer } from './model-holder';
import { TokenBucket } from './token-bucket';

/** One scorer's outputs for the windows it could frame. */
type Scored = Map<AlignedWindow, { inputs: FrameInputs } & ScoredFrame>;

/** A flagged window's result, to be given its root cause by the scorer of its most anomalous modality. */
interface Flagged {
  result: AnomalyResult;
  frame: FlaggedFrame;
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
    const serving = this.holder.current; // one model set for the whole call, even if a swap happens meanwhile
    const scored = await Promise.all(serving.scorers.map((s) => this.score(s, windows)));

    const toExplain = new Map<StreamModality, Flagged[]>();
    const outputs: WindowOutput[] = windows.map((w) => {
      this.restoreOnce(serving, w.deviceId);
      const modalities: ModalityScore[] = [];
      const latents: LatentVector[] = [];
      const frames = new Map<StreamModality, FlaggedFrame>();
      serving.scorers.forEach(({ scorer }, i) => {
        const out = scored[i]!.get(w);
        if (!out) return;
        const judged = serving.thresholds.judge(w.deviceId, scorer.modality, out.score);
        modalities.push({ modality: scorer.modality, score: out.score, threshold: judged.threshold, isAnomaly: judged.isAnomaly });
        latents.push({
          deviceId: w.deviceId,
          windowStartMs: w.startMs,
          windowEndMs: w.endMs,
          modality: scorer.modality,
          mean: Array.from(out.mean),
          logVar: Array.from(out.logVar),
          score: out.score,
          modelVersion: scorer.model.version,
        });
        if (judged.isAnomaly) frames.set(scorer.modality, { inputs: out.inputs, reconstruction: out.reconstruction, mean: out.mean, logVar: out.logVar });
      });
      for (const m of w.missing) this.metrics.missingModality.inc({ modality: m });
      const fused = lateFusion(modalities);
      for (const m of modalities) if (m.isAnomaly) this.metrics.anomalies.inc({ modality: m.modality });
      const result: AnomalyResult = {
        deviceId: w.deviceId,
        windowStartMs: w.startMs,
        windowEndMs: w.endMs,
        modelVersion: serving.version,
        modalities,
        missingModalities: w.missing,
        fusedScore: fused.fusedScore,
        fusedThreshold: fused.fusedThreshold,
        isAnomaly: fused.isAnomaly,
        rootCause: null,
        processedAtMs: Date.now(),
      };
      const lead = leadModality(modalities, frames);
      if (lead) {
        const list = toExplain.get(lead) ?? [];
        if (list.length < this.rootCausePerCall) list.push({ result, frame: frames.get(lead)! });
        toExplain.set(lead, list);
      }
      const checkpoint: DetectorCheckpoint = {
        deviceId: w.deviceId,
        modelVersion: serving.version,
        lastWindowStartMs: w.startMs,
        thresholdStates: serving.thresholds.stateOf(w.deviceId),
        updatedAtMs: Date.now(),
      };
      return { result, latents, checkpoint };
    });
    this.explain(serving, toExplain);
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

  /** Frames of the windows this scorer can use, scored in one micro-batched call. */
  private async score(serving: ServingScorer, windows: readonly AlignedWindow[]): Promise<Scored> {
    const framed: { w: AlignedWindow; inputs: FrameInputs }[] = [];
    for (const w of windows) {
      const inputs = serving.scorer.frame(w);
      if (inputs) framed.push({ w, inputs });
    }
    const out: Scored = new Map();
    if (framed.length === 0) return out;
    const scored = await serving.batcher.submit(framed.map((f) => f.inputs));
    framed.forEach(({ w, inputs }, i) => out.set(w, { inputs, ...scored[i]! }));
    return out;
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
   * Root cause for the flagged windows of this call (at most DETECTOR_ROOT_CAUSE_PER_BATCH per modality), by the
   * scorer of each window's most anomalous modality: channel and step shares from the scoring pass's
   * reconstruction and, within DETECTOR_LATENT_ATTRIBUTIONS_PER_S, the latent dimensions that move each score
   * most. The modality shares come from the fusion.
   */
  private explain(serving: ServingModel, flagged: ReadonlyMap<StreamModality, Flagged[]>): void {
    for (const [modality, list] of flagged) {
      const attributed = this.latentBudget.take(list.length);
      const reports = serving.registry.get(modality).explain(
        list.map((f) => f.frame),
        attributed,
      );
      list.forEach(({ result }, i) => {
        result.rootCause = { ...reports[i]!, modalityShares: lateFusion(result.modalities).shares };
      });
    }
  }

  private observeStage(stage: 'score' | 'publish' | 'durable', windows: number, ms: number): void {
    for (let i = 0; i < windows; i++) this.metrics.stageLatency.observe({ stage }, ms / 1000);
  }

  private restoreOnce(serving: ServingModel, deviceId: string): void {
    if (serving.restored.has(deviceId)) return;
    serving.restored.add(deviceId);
    const states = this.checkpoints.thresholdStates(deviceId, serving.version);
    if (states) serving.thresholds.restore(deviceId, states);
  }
}

/** The flagged modality with the largest score/threshold ratio. */
function leadModality(modalities: readonly ModalityScore[], flagged: ReadonlyMap<StreamModality, FlaggedFrame>): StreamModality | undefined {
  let lead: StreamModality | undefined;
  let best = Number.NEGATIVE_INFINITY;
  for (const m of modalities) {
    const ratio = m.threshold > 0 ? m.score / m.threshold : 0;
    if (flagged.has(m.modality as StreamModality) && ratio > best) {
      best = ratio;
      lead = m.modality as StreamModality;
    }
  }
  return lead;
}

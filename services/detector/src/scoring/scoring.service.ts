/**
 * Orchestration only, for every modality the same way: closed windows → each registered scorer's frames → one
 * micro-batched model call per scorer across devices → per-device SPOT thresholds per modality → fusion →
 * results, latents and checkpoints → durable (awaited). No modality-specific code: scorers (libs/detection)
 * build frames and explain; fusion is `lateFusion` until a fused model serves the window itself.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { AnomalyResult, DetectorCheckpoint, LatentVector, Modality, ModalityScore, RootCauseSummary, SensorFault } from '@vigil/contracts';
import {
  type AlignedWindow,
  describeModalityShares,
  type FlaggedFrame,
  frameOnce,
  lateFusion,
  type ModalityScorer,
  modalitySharesOf,
  slotOf,
} from '@vigil/detection';
import { DETECTOR_CONFIG, type DetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { ResultSink, type WindowOutput } from '../results/result-sink';
import { RootCauseWorker, type ShapJob } from '../root-cause/root-cause.worker';
import { CheckpointStore } from '../thresholds/checkpoint-store';
import { ModelHolder, type ScoredWindow, type ServingModel, type ServingScorer } from './model-holder';
import { CallOrder } from './call-order';
import { TokenBucket } from './token-bucket';

/** One scorer's outputs for the windows it could frame; `repeated`: an observation already scored in an earlier window. */
type Scored = Map<AlignedWindow, ScoredWindow & { repeated?: boolean }>;

/**
 * A flagged window's result, to be given its root cause by the scorer of its most anomalous single modality
 * (channels, steps, latents), or by the fused model's when only it flagged; `fused` adds the fused model's
 * modality shares when it flagged too.
 */
interface Flagged {
  result: AnomalyResult;
  frame: FlaggedFrame;
  fused?: FlaggedFrame;
  /** The other single modalities that flagged the window: their explanation's sentence and top contribution follow the lead's. */
  also: ScorerFrame[];
}

@Injectable()
export class ScoringService {
  private readonly rootCausePerCall: number;
  private readonly latentBudget: TokenBucket;
  private readonly judgingOrder = new CallOrder();

  constructor(
    @Inject(DETECTOR_CONFIG) cfg: DetectorConfig,
    @Inject(ModelHolder) private readonly holder: ModelHolder,
    @Inject(ResultSink) private readonly sink: ResultSink,
    @Inject(CheckpointStore) private readonly checkpoints: CheckpointStore,
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
    @Inject(RootCauseWorker) private readonly rootCause: RootCauseWorker,
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
    const turn = this.judgingOrder.take();
    try {
      return await this.scoreAndJudge(windows, turn.ready);
    } finally {
      turn.done();
    }
  }

  /**
   * Calls overlap while their models run; `turn` holds the judging back until every earlier call has judged, so
   * a device's thresholds learn its windows, and its checkpoints and results are written, in the order they closed.
   */
  private async scoreAndJudge(windows: AlignedWindow[], turn: Promise<void>): Promise<{ durable: Promise<void> }> {
    const closedAt = performance.now();
    const serving = this.holder.current; // one model set for the whole call, even if a swap happens meanwhile
    // Work a scorer does off the event loop (the fused model's log-mel frames) starts first, so it overlaps the
    // others' framing on this thread.
    const prepared = serving.scorers.map((s) => s.scorer.prepare?.(windows));
    const scored = await Promise.all(serving.scorers.map((s, i) => this.score(s, windows, prepared[i])));
    await turn;

    // By the scorer that flagged (a routed device's own model explains its windows).
    const toExplain = new Map<ModalityScorer, Flagged[]>();
    const outputs: WindowOutput[] = windows.map((w) => {
      this.restoreOnce(serving, w.deviceId);
      const modalities: ModalityScore[] = [];
      const latents: LatentVector[] = [];
      const frames = new Map<Modality, ScorerFrame>();
      serving.scorers.forEach(({ scorer }, i) => {
        const out = scored[i]!.get(w);
        if (!out) return;
        // An observation's later windows carry its score; the threshold learns from it once.
        const judged = out.repeated
          ? serving.thresholds.peek(w.deviceId, slotOf(scorer), out.score)
          : serving.thresholds.judge(w.deviceId, slotOf(scorer), out.score);
        modalities.push({ modality: scorer.modality, score: out.score, threshold: judged.threshold, isAnomaly: judged.isAnomaly });
        if (!out.repeated)
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
        if (judged.isAnomaly)
          frames.set(scorer.modality, {
            scorer,
            frame: { inputs: out.inputs, reconstruction: out.reconstruction, mean: out.mean, logVar: out.logVar, shares: out.shares },
          });
      });
      for (const m of w.missing) this.metrics.missingModality.inc({ modality: m });
      const sensorFaults = serving.scorers.flatMap(({ scorer }) => scorer.health?.(w) ?? []);
      for (const f of sensorFaults) this.metrics.sensorFaults.inc({ channel: f.channel, kind: f.kind });
      const fused = lateFusion(modalities);
      for (const m of modalities) if (m.isAnomaly) this.metrics.anomalies.inc({ modality: m.modality });
      for (const m of modalities) this.metrics.deviceScored(w.deviceId, m.modality, m.isAnomaly);
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
        rootCause: sensorFaults.length > 0 ? sensorFaultCause(sensorFaults) : null,
        processedAtMs: Date.now(),
        sensorFaults,
      };
      const lead = leadModality(modalities, frames);
      if (lead) {
        const { scorer, frame } = frames.get(lead)!;
        const list = toExplain.get(scorer) ?? [];
        const also = [...frames].filter(([m]) => m !== lead && m !== 'FUSED').map(([, f]) => f);
        if (list.length < this.rootCausePerCall) list.push({ result, frame, fused: lead === 'FUSED' ? undefined : frames.get('FUSED')?.frame, also });
        toExplain.set(scorer, list);
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
    const shapJobs = this.explain(toExplain);
    this.metrics.windows.inc(windows.length);
    const scoredAt = performance.now();
    this.observeStage('score', windows.length, scoredAt - closedAt);
    const { published, durable } = this.sink.write(outputs);
    published.then(
      () => {
        this.observeStage('publish', windows.length, performance.now() - scoredAt);
        // The fuller (KernelSHAP) root cause follows the results, off the hot path: submit only queues.
        this.rootCause.submit(shapJobs);
      },
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

  /** Frames of the windows this scorer can use (once `prepared` is done: see ModalityScorer.prepare), scored in one micro-batched call. */
  private async score(serving: ServingScorer, windows: readonly AlignedWindow[], prepared?: Promise<void>): Promise<Scored> {
    if (prepared) {
      const t = performance.now();
      await prepared;
      // Waiting for the off-thread part (stage `prepare_<MODALITY>`): each window of the call waits all of it.
      this.observeStage(`prepare_${serving.scorer.modality}`, windows.length, performance.now() - t);
    }
    const t0 = performance.now();
    // Each observation once per device (a sparse camera's frame spans windows): see frameOnce.
    const { fresh, settle } = frameOnce(serving.scorer, serving.observations, windows);
    let outcomes: ScoredWindow[] = [];
    if (fresh.length > 0) {
      // Frame building per modality on the event loop (stage `frame_<MODALITY>`, per framed window): the model's share is scoringLatency.
      this.observeStage(`frame_${serving.scorer.modality}`, fresh.length, (performance.now() - t0) / fresh.length);
      const scored = await serving.batcher.submit(fresh.map((f) => f.inputs)).catch((err: unknown) => {
        void settle(undefined); // windows waiting on these observations go unscored, as these do
        throw err;
      });
      outcomes = fresh.map(({ inputs }, i) => ({ inputs, ...scored[i]! }));
    }
    const out: Scored = new Map();
    for (const [w, { outcome, repeated }] of await settle(outcomes)) out.set(w, repeated ? { ...outcome, repeated } : outcome);
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
   * most. The modality shares come from the fusion. Returns the same windows as jobs for the root-cause worker.
   */
  private explain(flagged: ReadonlyMap<ModalityScorer, Flagged[]>): ShapJob[] {
    const shapJobs: ShapJob[] = [];
    for (const [scorer, list] of flagged) {
      const { modality } = scorer;
      for (const f of list) shapJobs.push({ result: f.result, scorer, frame: f.frame });
      const attributed = this.latentBudget.take(list.length);
      const reports = scorer.explain(
        list.map((f) => f.frame),
        attributed,
      );
      const seconds = this.explainAlso(list);
      list.forEach(({ result, fused }, i) => {
        const report = reports[i]!;
        const also = seconds[i] ?? [];
        // The fused model's view of which modality carries the score, when it flagged too (no model call).
        const fusedShares = fused?.shares ? modalitySharesOf(fused.shares) : undefined;
        const parts = [
          report.summary,
          ...also.map((a) => a.summary),
          fusedShares && describeModalityShares(fusedShares),
          result.sensorFaults.length > 0 && sensorFaultCause(result.sensorFaults).summary,
        ];
        // A fused model names the modality shares; otherwise they come from the late fusion.
        const modalityShares = modality === 'FUSED' ? report.modalityShares : (fusedShares ?? lateFusion(result.modalities).shares);
        // The lead's contributions, then each other flagged modality's top one (an IMAGE box, a sensor channel).
        const topChannels = [...report.topChannels, ...also.flatMap((a) => a.topChannels.slice(0, 1))];
        result.rootCause = { ...report, summary: parts.filter(Boolean).join(' '), modalityShares, topChannels };
      });
    }
    return shapJobs;
  }

  /** The other flagged modalities' explanations per window of `list` (one explain call per scorer, no latents). */
  private explainAlso(list: readonly Flagged[]): RootCauseSummary[][] {
    const out: RootCauseSummary[][] = list.map(() => []);
    const byScorer = new Map<ModalityScorer, { index: number; frame: FlaggedFrame }[]>();
    list.forEach((f, index) => {
      for (const { scorer, frame } of f.also)
        byScorer
          .set(scorer, byScorer.get(scorer) ?? [])
          .get(scorer)!
          .push({ index, frame });
    });
    for (const [scorer, items] of byScorer) {
      const reports = scorer.explain(
        items.map((i) => i.frame),
        0,
      );
      items.forEach(({ index }, k) => out[index]!.push(reports[k]!));
    }
    return out;
  }

  private observeStage(stage: 'score' | 'publish' | 'durable' | `frame_${Modality}` | `prepare_${Modality}`, windows: number, ms: number): void {
    for (let i = 0; i < windows; i++) this.metrics.stageLatency.observe({ stage }, ms / 1000);
  }

  private restoreOnce(serving: ServingModel, deviceId: string): void {
    if (serving.restored.has(deviceId)) return;
    serving.restored.add(deviceId);
    const states = this.checkpoints.thresholdStates(deviceId, serving.version);
    if (states) serving.thresholds.restore(deviceId, states);
  }
}

/** The root cause of a window whose measurement is faulty: which channels, and how. */
function sensorFaultCause(faults: readonly SensorFault[]): RootCauseSummary {
  const channels = [...new Set(faults.map((f) => f.channel))];
  return {
    summary: `Sensor fault: ${faults.map((f) => f.message).join('; ')}.`,
    topChannels: channels.map((name) => ({ name, share: 1 / channels.length })),
    topTimeSteps: [],
    topLatents: [],
    modalityShares: { SENSOR: 1 },
  };
}

/** A flagged modality's frame, and the scorer (of the window's device) that flagged it. */
interface ScorerFrame {
  scorer: ModalityScorer;
  frame: FlaggedFrame;
}

/** The flagged single modality with the largest score/threshold ratio, else FUSED if only the fused model flagged. */
function leadModality(modalities: readonly ModalityScore[], flagged: ReadonlyMap<Modality, ScorerFrame>): Modality | undefined {
  let lead: Modality | undefined;
  let best = Number.NEGATIVE_INFINITY;
  for (const m of modalities) {
    const ratio = m.threshold > 0 ? m.score / m.threshold : 0;
    if (m.modality !== 'FUSED' && flagged.has(m.modality) && ratio > best) {
      best = ratio;
      lead = m.modality;
    }
  }
  return lead ?? (flagged.has('FUSED') ? 'FUSED' : undefined);
}

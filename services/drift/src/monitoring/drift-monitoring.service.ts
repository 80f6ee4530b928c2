/**
 * Orchestration of the drift service, no maths: latents go to one `LatentWindowMonitor` per (modality, model
 * version) — its reference loaded from / saved to the store — each window report becomes rows (ClickHouse) and
 * drift events (Kafka), and the live model version's reports drive the retrain policy of its modality, whose
 * requests are published. Several models' streams (a sensor VAE and a fused multimodal model, of different
 * latent sizes) run side by side, each against its own reference.
 *
 * Each stream is put back into event-time order first (`EventTimeOrder`): partitions are consumed concurrently,
 * and a monitor fed in arrival order mixes regimes in its reference and windows. Vectors held by the order are
 * not durable (their batch is committed): a restart loses at most `maxSkewMs` of them, a gap the statistics
 * tolerate. Anomaly results mark the windows each model flagged (kept out of that model's reference, counted
 * as not normal) — read when a vector leaves the order, so a result consumed a little after its latent still
 * counts; operator feedback feeds the policy. Reports of an older model version still in flight are stored
 * but do not drive the policy.
 */
import type { AnomalyResult, LatentVector, Modality, OperatorFeedback, RetrainRequest } from '@vigil/contracts';
import {
  DriftInputError,
  EventTimeOrder,
  initialRetrainPolicyState,
  LatentWindowMonitor,
  stepRetrainPolicy,
  type RetrainPolicyConfig,
  type RetrainPolicyEvent,
  type RetrainPolicyState,
  type WindowDriftReport,
} from '@vigil/drift';
import type { Clock, DriftOutbox, DriftStore } from './drift-ports';
import { driftRows, toDriftEvent } from './drift-rows';

export interface MonitoringSettings {
  referenceSize: number;
  windowSize: number;
  hop: number;
  alpha: number;
  psiThreshold: number;
  permutations: number;
  /** How far (event time) a device may lag behind its fleet before the ordering stops waiting for it. */
  maxSkewMs: number;
  /** The most latents held for ordering per stream. */
  maxBuffered: number;
  policy: RetrainPolicyConfig;
}

/** One model version's latent stream: its ordering, its monitor, and the chain that feeds it in order. */
interface LatentStream {
  modality: Modality;
  modelVersion: string;
  dim: number;
  order: EventTimeOrder<LatentVector>;
  /** Created on the first feed, with the stored reference if there is one (a failed load is retried). */
  monitor: LatentWindowMonitor | null;
  fed: Promise<void>;
}

/** Instrumentation hooks (the metrics class implements them). */
export interface MonitoringObserver {
  latents(modality: Modality, count: number): void;
  windowTested(modality: Modality, report: WindowDriftReport, seconds: number): void;
  driftEvent(modality: Modality, test: string): void;
  retrainRequested(modality: Modality, reason: string): void;
  retrainBlocked(modality: Modality, reason: string): void;
}

/** How many flagged (window, model) keys to remember: a few minutes of a large fleet, more than the ordering holds. */
const FLAGGED_MEMORY = 200_000;

export class DriftMonitoringService {
  private readonly streams = new Map<string, LatentStream>();
  private readonly policies = new Map<Modality, RetrainPolicyState>();
  private readonly liveVersions = new Map<Modality, string>();
  private readonly flagged = new Set<string>();
  /**
   * Event-time span of the drifted windows of each modality's open episode. A device that arrives late (see
   * `EventTimeOrder`) can still put a window out of order: the span is a min/max, and the policy runs on the
   * processing-time clock (cooldowns, timeouts), not on event time.
   */
  private readonly episodeSpans = new Map<Modality, { fromMs: number; toMs: number }>();

  constructor(
    private readonly settings: MonitoringSettings,
    private readonly store: DriftStore,
    private readonly outbox: DriftOutbox,
    private readonly clock: Clock,
    private readonly observer: MonitoringObserver,
  ) {}

  async ingestLatents(vectors: readonly LatentVector[]): Promise<void> {
    const batches = new Map<LatentStream, LatentVector[]>();
    for (const vector of vectors) {
      this.observer.latents(vector.modality, 1);
      await this.noteModelVersion(vector.modality, vector.modelVersion);
      const stream = this.streamFor(vector.modality, vector.modelVersion, vector.mean.length);
      if (vector.mean.length !== stream.dim)
        throw new DriftInputError(`${vector.modality} latent of ${vector.modelVersion} has ${vector.mean.length} dimensions, expected ${stream.dim}`);
      const batch = batches.get(stream) ?? [];
      batch.push(vector);
      batches.set(stream, batch);
    }
    await Promise.all([...batches].map(([stream, batch]) => this.feed(stream, stream.order.push(batch))));
  }

  /** Feeds released vectors to the stream's monitor, after the ones released before them (concurrent batches). */
  private feed(stream: LatentStream, released: LatentVector[]): Promise<void> {
    const run = stream.fed.then(async () => {
      const monitor = (stream.monitor ??= await this.createMonitor(stream));
      for (const vector of released) await this.observe(monitor, vector);
    });
    stream.fed = run.catch(() => {}); // the failure belongs to this batch (its caller gets `run`), not to the next one
    return run;
  }

  private async observe(monitor: LatentWindowMonitor, vector: LatentVector): Promise<void> {
    const hadReference = monitor.referenceWindow() !== null;
    const started = this.clock.monotonicSeconds();
    const report = monitor.push({
      mean: vector.mean,
      score: vector.score,
      windowStartMs: vector.windowStartMs,
      windowEndMs: vector.windowEndMs,
      flagged: this.flagged.has(flagKey(vector.deviceId, vector.windowStartMs, vector.modality)),
    });
    if (!hadReference && monitor.referenceWindow()) await this.store.saveReference(vector.modality, monitor.referenceWindow()!);
    if (report) await this.handleReport(vector.modality, report, this.clock.monotonicSeconds() - started);
  }

  /**
   * Remembers which model flagged which window: a model's reference leaves out only the windows it flagged
   * itself, so one model's false alarms (a fused model fed fewer modalities than it learnt from) never starve
   * another model's reference. (A result's `isAnomaly` is any of these.)
   */
  ingestResults(results: readonly AnomalyResult[]): void {
    for (const result of results) {
      for (const verdict of result.modalities) {
        if (!verdict.isAnomaly) continue;
        if (this.flagged.size >= FLAGGED_MEMORY) this.flagged.delete(this.flagged.values().next().value!);
        this.flagged.add(flagKey(result.deviceId, result.windowStartMs, verdict.modality));
      }
    }
  }

  async ingestFeedback(feedback: readonly OperatorFeedback[]): Promise<void> {
    for (const item of feedback) {
      const verdict = item.kind === 'DISMISS' ? 'false-alarm' : 'confirmed-anomaly';
      for (const modality of this.policies.keys()) await this.step(modality, { kind: 'operator-feedback', atMs: this.clock.now(), verdict });
    }
  }

  private async handleReport(modality: Modality, report: WindowDriftReport, seconds: number): Promise<void> {
    this.observer.windowTested(modality, report, seconds);
    const rows = driftRows(report, { modality, alpha: this.settings.alpha, psiThreshold: this.settings.psiThreshold, detectedAtMs: this.clock.now() });
    await this.store.saveRows(rows);
    const events = rows.filter((r) => r.drifted).map(toDriftEvent);
    if (events.length > 0) await this.outbox.publishDriftEvents(events);
    events.forEach((e) => this.observer.driftEvent(modality, e.test));
    if (this.liveVersions.get(modality) !== report.modelVersion) return;
    if (report.drifted) {
      const span = this.episodeSpans.get(modality);
      this.episodeSpans.set(modality, {
        fromMs: Math.min(span?.fromMs ?? Infinity, report.current.startMs),
        toMs: Math.max(span?.toMs ?? -Infinity, report.current.endMs),
      });
    }
    const normalCount = report.current.count - report.current.flagged;
    await this.step(modality, { kind: 'window', atMs: this.clock.now(), drifted: report.drifted, normalCount, driftEventId: events[0]?.eventId });
    if (!this.policies.get(modality)?.inEpisode) this.episodeSpans.delete(modality);
  }

  private async step(modality: Modality, event: RetrainPolicyEvent): Promise<void> {
    const { state, request, blockedBy } = stepRetrainPolicy(this.policies.get(modality) ?? initialRetrainPolicyState(), event, this.settings.policy);
    this.policies.set(modality, state);
    if (blockedBy) this.observer.retrainBlocked(modality, blockedBy);
    if (!request) return;
    const retrain: RetrainRequest = {
      requestId: this.clock.newId(),
      requestedAtMs: this.clock.now(),
      modality,
      trigger: 'DRIFT',
      reason: `${request.reason}: ${this.settings.policy.persistenceWindows}+ drifted windows in a row, ${request.normalSamples} normal samples since the last retrain`,
      driftEventId: request.driftEventId,
      currentModelVersion: this.liveVersions.get(modality) ?? 'unknown',
      // Train on the regime since the drift began: the data the challenger must fit (and the champion now flags).
      dataFromMs: this.episodeSpans.get(modality)?.fromMs ?? null,
      dataToMs: this.episodeSpans.get(modality)?.toMs ?? null,
    };
    await this.outbox.publishRetrainRequest(retrain);
    this.observer.retrainRequested(modality, request.reason);
  }

  /** A model version not seen before for a modality is the new live one: a finished retrain, new evidence. */
  private async noteModelVersion(modality: Modality, modelVersion: string): Promise<void> {
    const live = this.liveVersions.get(modality);
    if (live === modelVersion || this.streams.has(streamKey(modality, modelVersion))) return;
    this.liveVersions.set(modality, modelVersion);
    if (live === undefined) return;
    const atMs = this.clock.now();
    const policy = this.policies.get(modality);
    if (policy?.retrainInFlight) await this.step(modality, { kind: 'retrain-finished', atMs, outcome: 'promoted' });
    await this.step(modality, { kind: 'model-changed', atMs });
    this.episodeSpans.delete(modality);
  }

  private streamFor(modality: Modality, modelVersion: string, dim: number): LatentStream {
    const key = streamKey(modality, modelVersion);
    let stream = this.streams.get(key);
    if (!stream) {
      const order = new EventTimeOrder<LatentVector>({ maxSkewMs: this.settings.maxSkewMs, maxBuffered: this.settings.maxBuffered });
      stream = { modality, modelVersion, dim, order, monitor: null, fed: Promise.resolve() };
      this.streams.set(key, stream);
    }
    return stream;
  }

  private async createMonitor({ modality, modelVersion, dim }: LatentStream): Promise<LatentWindowMonitor> {
    const reference = await this.store.loadReference(modality, modelVersion);
    return new LatentWindowMonitor({
      modelVersion,
      dim,
      referenceSize: this.settings.referenceSize,
      windowSize: this.settings.windowSize,
      hop: this.settings.hop,
      reference: reference?.dim === dim ? reference : undefined,
      latent: { alpha: this.settings.alpha, permutations: this.settings.permutations, seed: 1 },
      scores: { alpha: this.settings.alpha, psiThreshold: this.settings.psiThreshold },
    });
  }
}

const streamKey = (modality: string, modelVersion: string) => `${modality}|${modelVersion}`;
const flagKey = (deviceId: string, windowStartMs: number, modality: string) => `${deviceId}|${windowStartMs}|${modality}`;

/**
 * Orchestration of the drift service, no maths: latents go to one `LatentWindowMonitor` per (modality, model
 * version) — its reference loaded from / saved to the store — each window report becomes rows (ClickHouse) and
 * drift events (Kafka), and the live model version's reports drive the retrain policy of its modality, whose
 * requests are published. Anomaly results mark flagged windows (kept out of references, counted as not
 * normal); operator feedback feeds the policy. Reports of an older model version still in flight are stored
 * but do not drive the policy.
 */
import type { AnomalyResult, LatentVector, Modality, OperatorFeedback, RetrainRequest } from '@vigil/contracts';
import {
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
  policy: RetrainPolicyConfig;
}

/** Instrumentation hooks (the metrics class implements them). */
export interface MonitoringObserver {
  latents(modality: Modality, count: number): void;
  windowTested(modality: Modality, report: WindowDriftReport, seconds: number): void;
  driftEvent(modality: Modality, test: string): void;
  retrainRequested(modality: Modality, reason: string): void;
  retrainBlocked(modality: Modality, reason: string): void;
}

/** How many flagged window keys to remember (a few minutes of a large fleet). */
const FLAGGED_MEMORY = 100_000;

export class DriftMonitoringService {
  private readonly monitors = new Map<string, Promise<LatentWindowMonitor>>();
  private readonly policies = new Map<Modality, RetrainPolicyState>();
  private readonly liveVersions = new Map<Modality, string>();
  private readonly flagged = new Set<string>();
  /**
   * Event-time span of the drifted windows of each modality's open episode. Partitions are consumed
   * concurrently, so windows do not arrive in event-time order: the span is a min/max, and the policy runs on
   * the processing-time clock (cooldowns, timeouts), not on event time.
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
    for (const vector of vectors) {
      this.observer.latents(vector.modality, 1);
      await this.noteModelVersion(vector.modality, vector.modelVersion);
      const monitor = await this.monitorFor(vector.modality, vector.modelVersion, vector.mean.length);
      const hadReference = monitor.referenceWindow() !== null;
      const started = this.clock.monotonicSeconds();
      const report = monitor.push({
        mean: vector.mean,
        score: vector.score,
        windowStartMs: vector.windowStartMs,
        windowEndMs: vector.windowEndMs,
        flagged: this.flagged.has(flagKey(vector.deviceId, vector.windowStartMs)),
      });
      if (!hadReference && monitor.referenceWindow()) await this.store.saveReference(vector.modality, monitor.referenceWindow()!);
      if (report) await this.handleReport(vector.modality, report, this.clock.monotonicSeconds() - started);
    }
  }

  ingestResults(results: readonly AnomalyResult[]): void {
    for (const result of results) {
      if (!result.isAnomaly) continue;
      if (this.flagged.size >= FLAGGED_MEMORY) this.flagged.delete(this.flagged.values().next().value!);
      this.flagged.add(flagKey(result.deviceId, result.windowStartMs));
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
    if (live === modelVersion || this.monitors.has(monitorKey(modality, modelVersion))) return;
    this.liveVersions.set(modality, modelVersion);
    if (live === undefined) return;
    const atMs = this.clock.now();
    const policy = this.policies.get(modality);
    if (policy?.retrainInFlight) await this.step(modality, { kind: 'retrain-finished', atMs, outcome: 'promoted' });
    await this.step(modality, { kind: 'model-changed', atMs });
    this.episodeSpans.delete(modality);
  }

  private monitorFor(modality: Modality, modelVersion: string, dim: number): Promise<LatentWindowMonitor> {
    const key = monitorKey(modality, modelVersion);
    let monitor = this.monitors.get(key);
    if (!monitor) {
      monitor = this.store.loadReference(modality, modelVersion).then(
        (reference) =>
          new LatentWindowMonitor({
            modelVersion,
            dim,
            referenceSize: this.settings.referenceSize,
            windowSize: this.settings.windowSize,
            hop: this.settings.hop,
            reference: reference?.dim === dim ? reference : undefined,
            latent: { alpha: this.settings.alpha, permutations: this.settings.permutations, seed: 1 },
            scores: { alpha: this.settings.alpha, psiThreshold: this.settings.psiThreshold },
          }),
      );
      this.monitors.set(key, monitor);
    }
    return monitor;
  }
}

const monitorKey = (modality: string, modelVersion: string) => `${modality}|${modelVersion}`;
const flagKey = (deviceId: string, windowStartMs: number) => `${deviceId}|${windowStartMs}`;

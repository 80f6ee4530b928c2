/**
 * The drift service's Prometheus metrics, on the service's registry. Names are `DRIFT_METRICS` of
 * `@vigil/contracts`, which the dashboards import too.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DRIFT_METRICS, METRIC_PREFIX, type Modality } from '@vigil/contracts';
import type { WindowDriftReport } from '@vigil/drift';
import { METRICS_REGISTRY } from '@vigil/service';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MonitoringObserver } from '../monitoring/drift-monitoring.service';

export const DRIFT_METRIC_PREFIX = METRIC_PREFIX.drift;

@Injectable()
export class DriftMetrics implements MonitoringObserver {
  readonly latentsTotal: Counter;
  readonly windowsTested: Counter;
  readonly events: Counter;
  readonly retrainRequests: Counter;
  readonly retrainBlockedTotal: Counter;
  readonly mmdPValue: Gauge;
  readonly scorePsi: Gauge;
  readonly ksMinPValue: Gauge;
  readonly wassersteinMean: Gauge;
  readonly testSeconds: Histogram;
  readonly deadLettered: Counter;
  readonly consumerLag: Gauge;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    const registers = [registry];
    const M = DRIFT_METRICS;
    this.latentsTotal = new Counter({ name: M.latents, help: 'Latent vectors consumed', labelNames: ['modality'], registers });
    this.windowsTested = new Counter({ name: M.windowsTested, help: 'Windows tested against their reference', labelNames: ['modality', 'drifted'], registers });
    this.events = new Counter({ name: M.events, help: 'Drift events published', labelNames: ['modality', 'test'], registers });
    this.retrainRequests = new Counter({ name: M.retrainRequests, help: 'Retrain requests published', labelNames: ['modality', 'reason'], registers });
    this.retrainBlockedTotal = new Counter({
      name: M.retrainBlocked,
      help: 'Retrain evidence that did not become a request, by what blocked it',
      labelNames: ['modality', 'reason'],
      registers,
    });
    this.mmdPValue = new Gauge({ name: M.mmdPValue, help: 'MMD permutation p-value of the last window', labelNames: ['modality', 'model_version'], registers });
    this.scorePsi = new Gauge({ name: M.scorePsi, help: 'PSI of the anomaly scores of the last window', labelNames: ['modality', 'model_version'], registers });
    this.ksMinPValue = new Gauge({
      name: M.ksMinPValue,
      help: 'Smallest BH-adjusted KS p-value over the latent dimensions of the last window',
      labelNames: ['modality', 'model_version'],
      registers,
    });
    this.wassersteinMean = new Gauge({
      name: M.wassersteinMean,
      help: 'Mean per-dimension Wasserstein-1 distance of the last window',
      labelNames: ['modality', 'model_version'],
      registers,
    });
    this.testSeconds = new Histogram({
      name: M.testSeconds,
      help: 'CPU time of one window test (all statistics)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.deadLettered = new Counter({ name: M.deadLettered, help: 'Messages sent to the dead-letter topic', labelNames: ['topic'], registers });
    this.consumerLag = new Gauge({ name: M.consumerLag, help: 'Offset lag of the last batch per partition', labelNames: ['topic', 'partition'], registers });
  }

  latents(modality: Modality, count: number): void {
    this.latentsTotal.inc({ modality }, count);
  }

  windowTested(modality: Modality, report: WindowDriftReport, seconds: number): void {
    this.windowsTested.inc({ modality, drifted: String(report.drifted) });
    this.mmdPValue.set({ modality, model_version: report.modelVersion }, report.latent.mmd.pValue);
    this.scorePsi.set({ modality, model_version: report.modelVersion }, report.scores.psi);
    this.ksMinPValue.set({ modality, model_version: report.modelVersion }, report.latent.ks.minAdjustedPValue);
    this.wassersteinMean.set({ modality, model_version: report.modelVersion }, report.latent.wasserstein.mean);
    this.testSeconds.observe(seconds);
  }

  driftEvent(modality: Modality, test: string): void {
    this.events.inc({ modality, test });
  }

  retrainRequested(modality: Modality, reason: string): void {
    this.retrainRequests.inc({ modality, reason });
  }

  retrainBlocked(modality: Modality, reason: string): void {
    this.retrainBlockedTotal.inc({ modality, reason });
  }
}

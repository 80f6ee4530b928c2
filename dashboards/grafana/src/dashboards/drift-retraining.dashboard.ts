/**
 * Drift and retraining: what the drift service measures per model version (MMD and KS p-values, Wasserstein
 * distance, score PSI), the drift events and retrain requests it publishes, and what the trainer does with
 * them (jobs by outcome — promoted, kept-champion, skipped, failed, cancelled — and the running job's epoch
 * and loss). Metric names from DRIFT_METRICS and TRAINER_METRICS; the trainer exports no job duration, so no
 * panel shows one.
 */
import { type Dashboard, DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DRIFT_METRICS as D, TRAINER_METRICS as T } from '@vigil/contracts';
import { RATE_INTERVAL as R } from '../datasource';
import { statPanel, timeseriesPanel } from '../panels';

const perModel = (gauge: string): { expr: string; legend: string }[] => [
  { expr: `max by (modality, model_version) (${gauge})`, legend: '{{modality}} {{model_version}}' },
];

/** Share of tested windows the service judged drifted, per modality. */
export const driftedShare = (range: string): string =>
  `sum by (modality) (rate(${D.windowsTested}{drifted="true"}[${range}])) / sum by (modality) (rate(${D.windowsTested}[${range}]))`;

export function driftRetrainingDashboard(): Dashboard {
  return new DashboardBuilder('Vigil · drift and retraining')
    .uid('vigil-drift-retraining')
    .tags(['vigil', 'drift', 'trainer'])
    .refresh('30s')
    .time({ from: 'now-6h', to: 'now' })
    .withRow(new RowBuilder('Overview'))
    .withPanel(statPanel({ title: 'Latents consumed / s', unit: 'ops', queries: [{ expr: `sum(rate(${D.latents}[${R}]))` }] }))
    .withPanel(statPanel({ title: 'Drift events (1 h)', unit: 'short', queries: [{ expr: `sum(increase(${D.events}[1h]))` }] }))
    .withPanel(statPanel({ title: 'Retrain requests (1 h)', unit: 'short', queries: [{ expr: `sum(increase(${D.retrainRequests}[1h]))` }] }))
    .withPanel(statPanel({ title: 'Retrain jobs finished (1 h)', unit: 'short', queries: [{ expr: `sum(increase(${T.jobs}[1h]))` }] }))
    .withRow(new RowBuilder('Drift statistics per model version (last tested window)'))
    .withPanel(
      timeseriesPanel({
        title: 'MMD permutation p-value',
        unit: 'short',
        description: 'Latent means of the window against the reference; below DRIFT_ALPHA = drift',
        queries: perModel(D.mmdPValue),
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'KS p-value (smallest, BH-adjusted)',
        unit: 'short',
        description: 'Per latent dimension, Benjamini–Hochberg over the dimensions',
        queries: perModel(D.ksMinPValue),
      }),
    )
    .withPanel(timeseriesPanel({ title: 'Wasserstein-1 distance (mean over dimensions)', unit: 'short', queries: perModel(D.wassersteinMean) }))
    .withPanel(
      timeseriesPanel({
        title: 'Score drift (PSI of anomaly scores)',
        unit: 'short',
        description: '> 0.25 is a large shift of the score distribution',
        queries: perModel(D.scorePsi),
      }),
    )
    .withRow(new RowBuilder('Drift events and retrain requests'))
    .withPanel(
      timeseriesPanel({
        title: 'Drift events / s by modality and test',
        unit: 'ops',
        queries: [{ expr: `sum by (modality, test) (rate(${D.events}[${R}]))`, legend: '{{modality}} {{test}}' }],
      }),
    )
    .withPanel(timeseriesPanel({ title: 'Share of windows drifted', unit: 'percentunit', queries: [{ expr: driftedShare(R), legend: '{{modality}}' }] }))
    .withPanel(
      timeseriesPanel({
        title: 'Retrain requests (1 h) by reason',
        unit: 'short',
        queries: [{ expr: `sum by (modality, reason) (increase(${D.retrainRequests}[1h]))`, legend: '{{modality}} {{reason}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Retrain evidence blocked (1 h) by reason',
        unit: 'short',
        description: 'Cooldown, a retrain in flight, too few normal samples: drift that did not become a request',
        queries: [{ expr: `sum by (modality, reason) (increase(${D.retrainBlocked}[1h]))`, legend: '{{modality}} {{reason}}' }],
      }),
    )
    .withRow(new RowBuilder('Drift service health'))
    .withPanel(
      timeseriesPanel({
        title: 'p95 test time per window',
        unit: 's',
        queries: [{ expr: `histogram_quantile(0.95, sum by (le) (rate(${D.testSeconds}_bucket[${R}])))`, legend: 'p95' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Consumer lag and dead letters',
        unit: 'short',
        queries: [
          { expr: `sum by (topic) (${D.consumerLag})`, legend: 'lag {{topic}}' },
          { expr: `sum by (topic) (increase(${D.deadLettered}[${R}]))`, legend: 'dead letters {{topic}}' },
        ],
      }),
    )
    .withRow(new RowBuilder('Trainer'))
    .withPanel(
      timeseriesPanel({
        title: 'Retrain jobs (1 h) by outcome',
        unit: 'short',
        description: 'promoted / kept-champion: a challenger was trained and judged; skipped: too few normal windows',
        queries: [{ expr: `sum by (status) (increase(${T.jobs}[1h]))`, legend: '{{status}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Challengers promoted vs kept champion (1 h)',
        unit: 'short',
        queries: [{ expr: `sum by (status) (increase(${T.jobs}{status=~"promoted|kept-champion"}[1h]))`, legend: '{{status}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Running job: epoch and loss',
        unit: 'short',
        description: 'Progress of the job in the training worker (the last values stay after it ends)',
        queries: [
          { expr: `max by (instance) (${T.epoch})`, legend: 'epoch {{instance}}' },
          { expr: `max by (instance) (${T.epochLoss})`, legend: 'loss {{instance}}' },
        ],
      }),
    )
    .build();
}

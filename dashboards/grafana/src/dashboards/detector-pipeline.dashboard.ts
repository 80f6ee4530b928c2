/**
 * The detector's pipeline: throughput and consumer lag, window latency percentiles (window closed → durable),
 * time per stage, dead letters and late events, anomaly rates per modality and per device, model swaps. Every metric name comes
 * from DETECTOR_METRICS, so a renamed metric fails the type check or the Prometheus check, never silently.
 */
import { type Dashboard, DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { DETECTOR_METRICS as M } from '@vigil/contracts';
import { RATE_INTERVAL as R } from '../datasource';
import { statPanel, timeseriesPanel } from '../panels';

const quantile = (q: number, histogram: string, by: string[] = []): string =>
  `histogram_quantile(${q}, sum by (${['le', ...by].join(', ')}) (rate(${histogram}_bucket[${R}])))`;

/** Share of each device's windows flagged, per modality (devices without an anomaly in the range have no series). */
export const deviceAnomalyShare = (range: string): string =>
  `sum by (device, modality) (rate(${M.deviceWindows}{anomalous="true"}[${range}])) / sum by (device, modality) (rate(${M.deviceWindows}[${range}]))`;

export function detectorPipelineDashboard(): Dashboard {
  return new DashboardBuilder('Vigil · detector pipeline')
    .uid('vigil-detector-pipeline')
    .tags(['vigil', 'detector'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .withRow(new RowBuilder('Overview'))
    .withPanel(statPanel({ title: 'Windows scored / s', unit: 'ops', queries: [{ expr: `sum(rate(${M.windows}[${R}]))` }] }))
    .withPanel(statPanel({ title: 'Active devices', unit: 'short', queries: [{ expr: `sum(${M.activeDevices})` }] }))
    .withPanel(statPanel({ title: 'Consumer lag (messages)', unit: 'short', queries: [{ expr: `sum(${M.consumerLag})` }] }))
    .withPanel(
      statPanel({
        title: 'Model hot swaps',
        unit: 'short',
        description: 'Swaps to a newer model version since the instances started',
        queries: [{ expr: `sum(${M.modelSwaps})` }],
      }),
    )
    .withRow(new RowBuilder('Throughput and lag'))
    .withPanel(
      timeseriesPanel({
        title: 'Events consumed / s by modality',
        unit: 'ops',
        queries: [{ expr: `sum by (modality) (rate(${M.events}[${R}]))`, legend: '{{modality}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Consumer lag by topic',
        unit: 'short',
        description: 'Offset lag of the last batch, summed over partitions',
        queries: [{ expr: `sum by (topic) (${M.consumerLag})`, legend: '{{topic}}' }],
      }),
    )
    .withRow(new RowBuilder('Latency'))
    .withPanel(
      timeseriesPanel({
        title: 'Window closed → result durable',
        unit: 's',
        queries: [0.5, 0.95, 0.99].map((q) => ({ expr: quantile(q, M.windowLatency), legend: `p${q * 100}` })),
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'p95 time per stage',
        unit: 's',
        description: 'consume, score, publish, durable',
        queries: [{ expr: quantile(0.95, M.stageLatency, ['stage']), legend: '{{stage}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'p95 model time per micro-batch',
        unit: 's',
        queries: [{ expr: quantile(0.95, M.scoringLatency, ['modality']), legend: '{{modality}}' }],
      }),
    )
    .withPanel(timeseriesPanel({ title: 'p95 flush (ClickHouse + Kafka)', unit: 's', queries: [{ expr: quantile(0.95, M.flushLatency), legend: 'p95' }] }))
    .withRow(new RowBuilder('Errors and data quality'))
    .withPanel(
      timeseriesPanel({
        title: 'Dead letters / s by source topic',
        unit: 'ops',
        queries: [{ expr: `sum by (topic) (rate(${M.deadLettered}[${R}]))`, legend: '{{topic}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Late events / s by modality',
        unit: 'ops',
        queries: [{ expr: `sum by (modality) (rate(${M.lateEvents}[${R}]))`, legend: '{{modality}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Windows missing a modality / s',
        unit: 'ops',
        queries: [{ expr: `sum by (modality) (rate(${M.missingModality}[${R}]))`, legend: '{{modality}}' }],
      }),
    )
    .withRow(new RowBuilder('Anomalies'))
    .withPanel(
      timeseriesPanel({
        title: 'Anomalous windows / s by modality',
        unit: 'ops',
        queries: [{ expr: `sum by (modality) (rate(${M.anomalies}[${R}]))`, legend: '{{modality}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Share of windows flagged',
        unit: 'percentunit',
        description: 'Near the threshold risk q on healthy machines; far above it during a fault',
        queries: [{ expr: `sum by (modality) (rate(${M.anomalies}[${R}])) / scalar(sum(rate(${M.windows}[${R}])))`, legend: '{{modality}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Anomaly rate per device and modality (top 10)',
        unit: 'percentunit',
        description: `Share of a device's windows flagged, per modality; devices past the detector's label limit count as _other`,
        queries: [{ expr: `topk(10, ${deviceAnomalyShare(R)})`, legend: '{{device}} {{modality}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Anomalous windows / s per device',
        unit: 'ops',
        queries: [{ expr: `topk(10, sum by (device) (rate(${M.deviceWindows}{anomalous="true"}[${R}])))`, legend: '{{device}}' }],
      }),
    )
    .build();
}

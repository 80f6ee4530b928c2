/**
 * The API and its live gateway: request rate, latency percentiles and error share per route, rate limiting,
 * connected Socket.IO clients. Metric names from API_METRICS.
 */
import { type Dashboard, DashboardBuilder, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { API_METRICS as A } from '@vigil/contracts';
import { RATE_INTERVAL as R } from '../datasource';
import { statPanel, timeseriesPanel } from '../panels';

/** 5xx share of all requests; `or vector(0)` keeps the series while no request has failed yet. */
export const apiErrorShare = (range: string): string => `(sum(rate(${A.requests}{status=~"5.."}[${range}])) or vector(0)) / sum(rate(${A.requests}[${range}]))`;

export function apiDashboard(): Dashboard {
  return new DashboardBuilder('Vigil · API and live gateway')
    .uid('vigil-api')
    .tags(['vigil', 'api'])
    .refresh('10s')
    .time({ from: 'now-30m', to: 'now' })
    .withRow(new RowBuilder('Overview'))
    .withPanel(statPanel({ title: 'Requests / s', unit: 'reqps', queries: [{ expr: `sum(rate(${A.requests}[${R}]))` }] }))
    .withPanel(statPanel({ title: 'Error share (5xx)', unit: 'percentunit', queries: [{ expr: apiErrorShare(R) }] }))
    .withPanel(statPanel({ title: 'Socket.IO clients', unit: 'short', queries: [{ expr: `sum(${A.socketClients})` }] }))
    .withPanel(statPanel({ title: 'Rate-limited / s', unit: 'reqps', queries: [{ expr: `sum(rate(${A.rateLimited}[${R}]))` }] }))
    .withRow(new RowBuilder('HTTP'))
    .withPanel(
      timeseriesPanel({
        title: 'Requests / s by route and status',
        unit: 'reqps',
        queries: [{ expr: `sum by (route, status) (rate(${A.requests}[${R}]))`, legend: '{{route}} {{status}}' }],
      }),
    )
    .withPanel(
      timeseriesPanel({
        title: 'Latency by route',
        unit: 's',
        queries: [0.5, 0.95, 0.99].map((q) => ({
          expr: `histogram_quantile(${q}, sum by (le, route) (rate(${A.requestLatency}_bucket[${R}])))`,
          legend: `p${q * 100} {{route}}`,
        })),
      }),
    )
    .withRow(new RowBuilder('Live gateway'))
    .withPanel(
      timeseriesPanel({
        title: 'Connected Socket.IO clients',
        unit: 'short',
        queries: [{ expr: `sum by (instance) (${A.socketClients})`, legend: '{{instance}}' }],
      }),
    )
    .build();
}

/**
 * Small panel builders over the Grafana Foundation SDK, so a dashboard file reads as a list of questions
 * ("events per second by modality") and every query carries our data source.
 *
 * @example
 *   timeseriesPanel({ title: 'Events/s', unit: 'ops', queries: [{ expr: 'sum(rate(x[1m]))', legend: 'all' }] })
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { PROMETHEUS_DATASOURCE } from './datasource';

export interface PanelQuery {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  title: string;
  description?: string;
  /** Grafana unit id: `ops`, `s`, `short`, `percentunit`, … */
  unit: string;
  queries: PanelQuery[];
  /** Grid width out of 24 (default 12). */
  span?: number;
}

function targets(queries: PanelQuery[]): DataqueryBuilder[] {
  return queries.map((q, i) =>
    new DataqueryBuilder()
      .datasource(PROMETHEUS_DATASOURCE)
      .expr(q.expr)
      .legendFormat(q.legend ?? '__auto')
      .refId(String.fromCharCode(65 + i)),
  );
}

export function timeseriesPanel(spec: PanelSpec): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(spec.title)
    .unit(spec.unit)
    .datasource(PROMETHEUS_DATASOURCE)
    .span(spec.span ?? 12)
    .height(8)
    .targets(targets(spec.queries));
  return spec.description ? panel.description(spec.description) : panel;
}

export function statPanel(spec: PanelSpec): StatPanelBuilder {
  const panel = new StatPanelBuilder()
    .title(spec.title)
    .unit(spec.unit)
    .datasource(PROMETHEUS_DATASOURCE)
    .span(spec.span ?? 6)
    .height(4)
    .targets(targets(spec.queries));
  return spec.description ? panel.description(spec.description) : panel;
}

/** Every PromQL expression of a built dashboard (rows included), for checks against a real Prometheus. */
export function dashboardQueries(board: Dashboard): { panel: string; expr: string }[] {
  const isRow = (p: Panel | RowPanel): p is RowPanel => p.type === 'row';
  const panels = (board.panels ?? []).flatMap((p): Panel[] => (isRow(p) ? (p.panels ?? []) : [p]));
  return panels.flatMap((p) => {
    const queries = (p.targets ?? []) as { expr?: unknown }[];
    return queries.flatMap((t) => (typeof t.expr === 'string' ? [{ panel: p.title ?? '', expr: t.expr }] : []));
  });
}

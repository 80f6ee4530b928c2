/**
 * What the dashboards and alert rules may name, checked without a server: every `vigil_*` metric in a query is
 * one of the contract constants (histograms with their `_bucket`/`_sum`/`_count` series), and the drift and
 * trainer metrics and the per-device counter all have a panel. test/deployment/observability.test.ts then proves
 * each query returns series from the running services.
 */
import { API_METRICS, DETECTOR_METRICS, DRIFT_METRICS, TRAINER_METRICS } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { ALERT_RULES, allDashboards, dashboardQueries } from '../index';

const KNOWN = new Set<string>([DETECTOR_METRICS, API_METRICS, DRIFT_METRICS, TRAINER_METRICS].flatMap((m) => Object.values(m)));
const baseName = (series: string): string => series.replace(/_(bucket|sum|count)$/, '');
const metricsIn = (expr: string): string[] => [...expr.matchAll(/\bvigil_[a-z0-9_]+/g)].map((m) => m[0]);

describe('dashboards and alert rules', () => {
  const queries = Object.values(allDashboards()).flatMap(dashboardQueries);

  it('name only metrics of the contract constants', () => {
    const unknown = [...queries.map((q) => q.expr), ...ALERT_RULES.map((r) => r.signal)]
      .flatMap(metricsIn)
      .filter((name) => !KNOWN.has(name) && !KNOWN.has(baseName(name)));
    expect(unknown).toEqual([]);
  });

  it('put every drift and trainer metric and the per-device counter on a panel', () => {
    const onPanels = new Set(queries.flatMap((q) => metricsIn(q.expr)).map(baseName));
    const wanted = [...Object.values(DRIFT_METRICS), ...Object.values(TRAINER_METRICS), DETECTOR_METRICS.deviceWindows];
    expect(wanted.filter((name) => !onPanels.has(name))).toEqual([]);
  });

  it('alert on drift and on the drift service and trainer being down', () => {
    const signals = ALERT_RULES.map((r) => r.signal).join('\n');
    expect(signals).toContain(DRIFT_METRICS.events);
    expect(signals).toContain('up{job="drift"}');
    expect(signals).toContain('up{job="trainer"}');
  });

  it('give every dashboard a unique uid and every panel a title', () => {
    const boards = Object.values(allDashboards());
    expect(new Set(boards.map((b) => b.uid)).size).toBe(boards.length);
    expect(queries.filter((q) => q.panel === '')).toEqual([]);
  });
});

/**
 * Shapes store contents into what the charts draw: uPlot's column arrays (x in seconds, ascending) and ECharts'
 * ranked bars and heat-map triples. Pure, so each chart's data is tested without a canvas.
 */
import type { LiveResult, TelemetryTick } from '@vigil/contracts/realtime';
import type { ApiDriftEvent, Feedback, RootCause } from '../api/types';

/** uPlot's data: [x, ...series], every array the same length. */
export type AlignedSeries = [number[], ...Array<Array<number | null>>];

/** Score and threshold of one device over time (x = window end, seconds), oldest first, one point per window. */
export function scoreSeries(results: readonly LiveResult[]): AlignedSeries {
  const byWindow = new Map<number, LiveResult>();
  for (const r of results) byWindow.set(r.windowStartMs, r);
  const sorted = [...byWindow.values()].sort((a, b) => a.windowStartMs - b.windowStartMs);
  return [sorted.map((r) => r.windowEndMs / 1000), sorted.map((r) => r.fusedScore), sorted.map((r) => r.fusedThreshold)];
}

/** Fleet rates per tick: windows per second and the share of them that were anomalous. */
export function fleetRateSeries(ticks: readonly TelemetryTick[], tickMs: number): AlignedSeries {
  const x: number[] = [];
  const eventsPerS: number[] = [];
  const anomalyRate: Array<number | null> = [];
  for (const t of ticks) {
    let windows = 0;
    let anomalies = 0;
    for (const d of t.devices) {
      windows += d.windows;
      anomalies += d.anomalies;
    }
    x.push(t.tickEndMs / 1000);
    eventsPerS.push((windows * 1000) / tickMs);
    anomalyRate.push(windows === 0 ? null : anomalies / windows);
  }
  return [x, eventsPerS, anomalyRate];
}

export interface RankedBar {
  name: string;
  value: number;
}

/** Root-cause channels, largest share first (the API already ranks them; we do not trust the order). */
export function rankedChannels(rootCause: RootCause | null, limit = 10): RankedBar[] {
  if (!rootCause) return [];
  return [...rootCause.topChannels]
    .sort((a, b) => b.share - a.share)
    .slice(0, limit)
    .map((c) => ({ name: c.name, value: c.share }));
}

export function modalityShareBars(rootCause: RootCause | null): RankedBar[] {
  if (!rootCause) return [];
  return Object.entries(rootCause.modalityShares)
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => b.value - a.value);
}

/**
 * Temporal contribution as a heat-map row: the report names the most contributing time steps in rank order, so
 * the first gets weight 1 and the last 1/n. Steps run 0…max(step).
 */
export function temporalHeat(rootCause: RootCause | null): { steps: number[]; cells: Array<[number, number, number]> } {
  if (!rootCause || rootCause.topTimeSteps.length === 0) return { steps: [], cells: [] };
  const n = rootCause.topTimeSteps.length;
  const maxStep = Math.max(...rootCause.topTimeSteps);
  const steps = Array.from({ length: maxStep + 1 }, (_, i) => i);
  const weight = new Map(rootCause.topTimeSteps.map((s, rank) => [s, (n - rank) / n]));
  return { steps, cells: steps.map((s) => [s, 0, weight.get(s) ?? 0]) };
}

export interface ModelPrecision {
  modelVersion: string;
  confirmed: number;
  dismissed: number;
  /** confirmed / (confirmed + dismissed); null before any verdict. */
  precision: number | null;
}

/** Live precision of alarms per model version, from operator verdicts (the newest verdict per window counts). */
export function precisionByModel(feedback: readonly Feedback[]): ModelPrecision[] {
  const latest = new Map<string, Feedback>();
  for (const f of [...feedback].sort((a, b) => a.createdAtMs - b.createdAtMs)) {
    if (f.kind === 'LABEL_FAULT' || f.windowStartMs === null) continue;
    latest.set(`${f.deviceId}@${f.windowStartMs}`, f);
  }
  const byModel = new Map<string, ModelPrecision>();
  for (const f of latest.values()) {
    const modelVersion = f.modelVersion ?? 'unknown';
    const row = byModel.get(modelVersion) ?? { modelVersion, confirmed: 0, dismissed: 0, precision: null };
    if (f.kind === 'CONFIRM') row.confirmed += 1;
    else row.dismissed += 1;
    row.precision = row.confirmed / (row.confirmed + row.dismissed);
    byModel.set(modelVersion, row);
  }
  return [...byModel.values()].sort((a, b) => a.modelVersion.localeCompare(b.modelVersion));
}

/** Drift statistics over time, one series per test (MMD, KS, Wasserstein…), on a shared, ascending x. */
export function driftSeries(events: readonly ApiDriftEvent[]): { tests: string[]; data: AlignedSeries } {
  const tests = [...new Set(events.map((e) => e.test))].sort();
  const times = [...new Set(events.map((e) => e.detectedAtMs))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = tests.map(() => new Array<number | null>(times.length).fill(null));
  for (const e of events) columns[tests.indexOf(e.test)]![index.get(e.detectedAtMs)!] = e.statistic;
  return { tests, data: [times.map((t) => t / 1000), ...columns] };
}

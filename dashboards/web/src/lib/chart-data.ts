/**
 * Shapes store contents into what the charts draw: uPlot's column arrays (x in seconds, ascending) and ECharts'
 * ranked bars and heat-map triples. Pure, so each chart's data is tested without a canvas.
 */
import type { LiveResult, TelemetryTick } from '@vigil/contracts/realtime';
import type { ApiDriftEvent, Feedback, RootCause, ShapReport, TrainingDetail, TrainingEpoch, WindowData } from '../api/types';

/** uPlot's data: [x, ...series], every array the same length. */
export type AlignedSeries = [number[], ...Array<Array<number | null>>];

/** Score and threshold of one device over time (x = window end, seconds), oldest first, one point per window. */
export function scoreSeries(results: readonly LiveResult[]): AlignedSeries {
  const byWindow = new Map<number, LiveResult>();
  for (const r of results) byWindow.set(r.windowStartMs, r);
  const sorted = [...byWindow.values()].sort((a, b) => a.windowStartMs - b.windowStartMs);
  return [sorted.map((r) => r.windowEndMs / 1000), sorted.map((r) => r.fusedScore), sorted.map((r) => r.fusedThreshold)];
}

/**
 * Fleet rates in whole seconds of telemetry time: windows per second and the share of them that were anomalous.
 * The gateway sends a tick only when results came (its interval is its own setting), so rates come from the
 * ticks' timestamps — windows counted into the second each tick ended in — never from an assumed interval.
 * Only seconds that have ended by `nowMs` are shown, and the first second heard is left out: either may hold a
 * part of its ticks only. Seconds without a tick between them count as 0.
 */
export function fleetRateSeries(ticks: readonly TelemetryTick[], nowMs: number, binMs = 1000): AlignedSeries {
  const bins = new Map<number, { windows: number; anomalies: number }>();
  for (const t of ticks) {
    const bin = Math.floor(t.tickEndMs / binMs);
    const b = bins.get(bin) ?? { windows: 0, anomalies: 0 };
    for (const d of t.devices) {
      b.windows += d.windows;
      b.anomalies += d.anomalies;
    }
    bins.set(bin, b);
  }
  const x: number[] = [];
  const perS: number[] = [];
  const anomalyRate: Array<number | null> = [];
  if (bins.size === 0) return [x, perS, anomalyRate];
  const first = Math.min(...bins.keys()) + 1;
  const last = Math.floor(nowMs / binMs) - 1; // the newest second still running is not complete
  for (let bin = Math.max(first, last - 600); bin <= last; bin++) {
    const b = bins.get(bin) ?? { windows: 0, anomalies: 0 };
    x.push(((bin + 1) * binMs) / 1000);
    perS.push((b.windows * 1000) / binMs);
    anomalyRate.push(b.windows === 0 ? null : b.anomalies / b.windows);
  }
  return [x, perS, anomalyRate];
}

/** The mean of the last `n` points of a rate series (0 without any), and of its non-null shares. */
export function recentRates(series: AlignedSeries, n: number): { perS: number; share: number | null } {
  const perS = (series[1] ?? []).slice(-n);
  const shares = (series[2] ?? []).slice(-n).filter((v): v is number => v != null);
  return {
    perS: perS.length ? perS.reduce<number>((a, b) => a + (b ?? 0), 0) / perS.length : 0,
    share: shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : null,
  };
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

/**
 * A KernelSHAP report as ranked bars: each player's share of |contribution| (0–1, the bar), its signed SHAP
 * value in the label (a negative one pulls the score down), largest share first.
 */
export function shapBars(report: ShapReport, limit = 10): RankedBar[] {
  return [...report.contributions]
    .sort((a, b) => b.share - a.share)
    .slice(0, limit)
    .map((c) => ({ name: `${c.name} (${c.value >= 0 ? '+' : ''}${c.value.toPrecision(3)})`, value: c.share }));
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

/**
 * One drift test's statistic and p-value over time (the threshold is not drawn: MMD and KS compare their p-value
 * with α, the score test its PSI statistic with its own bound, so no one line means "over"). x is the end of the tested
 * window in event time (seconds): a drift service catching up tests many windows in the same second of
 * detection, which would stack them on one x. One point per tested window (a replayed event replaces its twin).
 */
export function driftTestSeries(events: readonly ApiDriftEvent[], test: string): AlignedSeries {
  const byWindow = new Map<string, ApiDriftEvent>();
  for (const e of events) if (e.test === test) byWindow.set(`${e.modelVersion}:${e.currentEndMs}`, e);
  const of = [...byWindow.values()].sort((a, b) => a.currentEndMs - b.currentEndMs);
  return [of.map((e) => e.currentEndMs / 1000), of.map((e) => e.statistic), of.map((e) => e.pValue)];
}

/** One sensor channel of a window against its reconstruction (x = the instant each model step samples, seconds). */
export function channelVsReconstruction(sensor: NonNullable<WindowData['sensor']>, channel: number): AlignedSeries {
  const c = sensor.channels[channel];
  if (!c) return [[], [], []];
  return [sensor.timesMs.map((t) => t / 1000), c.values, c.reconstruction];
}

/** Training and validation loss per epoch (x = epoch). */
export function lossSeries(history: readonly TrainingEpoch[]): AlignedSeries {
  return [history.map((h) => h.epoch), history.map((h) => h.loss), history.map((h) => h.validationLoss)];
}

/** ROC points (x = false-positive rate, ascending) with the chance diagonal. */
export function rocSeries(evaluation: TrainingDetail['evaluation']): AlignedSeries {
  const roc = evaluation?.roc ?? [];
  return [roc.map((p) => p.fpr), roc.map((p) => p.tpr), roc.map((p) => p.fpr)];
}

/** Precision against recall (x = recall, ascending) with the positives' share, the no-skill line. */
export function prSeries(evaluation: TrainingDetail['evaluation']): AlignedSeries {
  const pr = evaluation?.pr ?? [];
  const base = evaluation ? evaluation.positives / (evaluation.positives + evaluation.negatives) : 0;
  return [pr.map((p) => p.recall), pr.map((p) => p.precision), pr.map(() => base)];
}

/**
 * The camera frame in grey with its anomaly map over it as RGBA (canvas `ImageData` order): each map cell
 * covers a block of pixels (nearest neighbour), coloured from transparent at 0 to opaque red at twice the
 * model's threshold, so what exceeds the threshold stands out and normal texture stays grey.
 */
export function heatOverlay(image: NonNullable<WindowData['image']>): Uint8ClampedArray {
  const { width, height, pixels, map, threshold } = image;
  const mapH = map.length;
  const mapW = map[0]?.length ?? 0;
  const out = new Uint8ClampedArray(width * height * 4);
  const full = threshold > 0 ? 2 * threshold : 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = (pixels[y]?.[x] ?? 0) * 255;
      const m = mapW ? (map[Math.min(mapH - 1, Math.floor((y * mapH) / height))]![Math.min(mapW - 1, Math.floor((x * mapW) / width))] ?? 0) : 0;
      const a = Math.max(0, Math.min(1, m / full));
      const i = (y * width + x) * 4;
      out[i] = g * (1 - a) + 255 * a;
      out[i + 1] = g * (1 - a) + 40 * a;
      out[i + 2] = g * (1 - a) + 40 * a;
      out[i + 3] = 255;
    }
  }
  return out;
}

/** The log-mel spectrogram as heat-map cells [frame, mel, dB], with the dB range for the colour scale. */
export function spectrogramCells(audio: NonNullable<WindowData['audio']>): { cells: Array<[number, number, number]>; min: number; max: number } {
  const cells: Array<[number, number, number]> = [];
  let min = Infinity;
  let max = -Infinity;
  audio.db.forEach((frame, t) =>
    frame.forEach((v, m) => {
      cells.push([t, m, v]);
      if (v < min) min = v;
      if (v > max) max = v;
    }),
  );
  return { cells, min: cells.length ? min : 0, max: cells.length ? max : 0 };
}

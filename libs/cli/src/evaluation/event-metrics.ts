/**
 * Metrics of flagged rows and alarms against labelled anomalies (1 = anomalous row):
 * - point metrics as SKAB reports them: F1, false-alarm rate FAR (% of normal rows flagged), missed-alarm rate
 *   MAR (% of anomalous rows not flagged);
 * - event metrics: labelled events (runs of 1s) caught by at least one alarm, alarms that touch no event
 *   (false alarms), detection delay from event start to the first alarm row inside it;
 * - the NAB score with the standard profile (A_TP = 1, A_FP = 0.11, A_FN = 1; Lavin & Ahmad 2015): each event's
 *   window is the labelled run, the first alarm start inside it earns σ(position) (earlier is better), each
 *   alarm start outside windows costs A_FP·σ(distance past the previous window) or A_FP, each missed window
 *   costs A_FN. Normalised as NAB does: 100 · (raw − null) / (perfect − null), null = a detector that never alarms.
 *
 * @example
 *   const point = pointMetrics(flags, labels);   const events = eventMetrics(alarms, labels);   nabRawScore(alarms, labels);
 */
import type { AlarmInterval } from '@vigil/detection';

export interface PointMetrics {
  f1: number;
  far: number;
  mar: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export function pointMetrics(flags: ArrayLike<number>, labels: ArrayLike<number>): PointMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] && flags[i]) tp++;
    else if (labels[i]) fn++;
    else if (flags[i]) fp++;
    else tn++;
  }
  return { f1: (2 * tp) / Math.max(1, 2 * tp + fp + fn), far: fp / Math.max(1, fp + tn), mar: fn / Math.max(1, fn + tp), tp, fp, fn, tn };
}

export interface LabelledEvent {
  start: number;
  end: number;
}

export function labelledEvents(labels: ArrayLike<number>): LabelledEvent[] {
  const events: LabelledEvent[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] && (i === 0 || !labels[i - 1])) events.push({ start: i, end: i });
    if (labels[i]) events.at(-1)!.end = i;
  }
  return events;
}

export interface EventMetrics {
  events: number;
  caught: number;
  falseAlarms: number;
  /** Detection delay (rows) of each caught event. */
  delays: number[];
}

const overlaps = (a: AlarmInterval, e: LabelledEvent) => a.start <= e.end && a.end >= e.start;

export function eventMetrics(alarms: readonly AlarmInterval[], labels: ArrayLike<number>): EventMetrics {
  const events = labelledEvents(labels);
  const delays: number[] = [];
  for (const e of events) {
    const first = alarms.find((a) => overlaps(a, e));
    if (first) delays.push(Math.max(0, first.start - e.start));
  }
  return { events: events.length, caught: delays.length, falseAlarms: alarms.filter((a) => !events.some((e) => overlaps(a, e))).length, delays };
}

export const NAB_STANDARD_PROFILE = { tp: 1, fp: 0.11, fn: 1 } as const;

/** NAB's scaled sigmoid: ≈1 at y = −1 (window start), 0 at the window end, → −1 far after it. */
const sigmoid = (y: number) => 2 / (1 + Math.exp(5 * y)) - 1;

export interface NabScore {
  raw: number;
  /** Raw scores of a perfect detector and of one that never alarms, for normalisation. */
  perfect: number;
  null: number;
}

export function nabRawScore(alarms: readonly AlarmInterval[], labels: ArrayLike<number>, profile = NAB_STANDARD_PROFILE): NabScore {
  const windows = labelledEvents(labels);
  const detected = new Set<number>();
  let raw = 0;
  for (const { start: t } of alarms) {
    const w = windows.findIndex((e) => t >= e.start && t <= e.end);
    if (w >= 0) {
      if (detected.has(w)) continue;
      detected.add(w);
      const { start, end } = windows[w]!;
      raw += profile.tp * sigmoid(-(end - t + 1) / (end - start + 1));
    } else {
      const previous = windows.filter((e) => e.end < t).at(-1);
      raw += previous ? profile.fp * sigmoid((t - previous.end) / (previous.end - previous.start + 1)) : -profile.fp;
    }
  }
  raw -= profile.fn * (windows.length - detected.size);
  return { raw, perfect: windows.length * profile.tp * sigmoid(-1), null: -profile.fn * windows.length };
}

export function normalisedNab(scores: readonly NabScore[]): number {
  const sum = (k: keyof NabScore) => scores.reduce((s, x) => s + x[k], 0);
  const span = sum('perfect') - sum('null');
  return span > 0 ? (100 * (sum('raw') - sum('null'))) / span : 0;
}

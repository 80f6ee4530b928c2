/**
 * Scoring a series with a trained detector: per-row scores, the threshold each row is judged against (the
 * stored held-out threshold, or SPOT/DSPOT from `@vigil/detection` started from the held-out scores, following
 * slow drift with the detector's `learnIsolatedAnomalies` rule), and the alarms after debouncing, each with the
 * channels that carried most of its score.
 *
 * @example
 *   const result = scoreSeries(model, detector, table.values, { threshold: 'static', alarm: DEFAULT_CLI_ALARM, minAlarmSeconds: 0 }, table);
 *   result.alarms;   // [{ start, end, peakIndex, peakScore, topChannels }]
 */
import { type AlarmInterval, type AlarmOptions, alarmIntervals, Dspot, Spot } from '@vigil/detection';
import type { VaeWindowModel } from '@vigil/ml';
import { InputError } from '../cli-errors';
import { dropShortAlarms } from './alarm-duration';
import type { DetectorFile } from './plant-detector';
import { scoreRows } from './row-scorer';

export const THRESHOLD_MODES = ['static', 'spot', 'dspot'] as const;
export type ThresholdMode = (typeof THRESHOLD_MODES)[number];

/**
 * Alarm defaults for 1-row-per-second-ish plant data: 3 of 5 rows to open, 10 quiet rows to close, 30-row gap;
 * an alarm is reported as lasting until it cleared (`end: 'cleared'`), as the operator saw it, not trimmed back
 * to its last loud row: the rows of a fault whose score dips below the threshold before the alarm clears (a
 * valve reopening, a flow recovering) belong to the alarm an operator acknowledged.
 */
export const DEFAULT_CLI_ALARM: AlarmOptions = { k: 3, n: 5, clearRatio: 0.8, clearAfter: 10, minGap: 30, end: 'cleared' };

/** SPOT's tail starts at this quantile of the held-out scores: lower than the paper's 0.98, as held-out sets are small. */
const SPOT_LEVEL = 0.9;

export interface ScoringOptions {
  threshold: ThresholdMode;
  /** Risk for SPOT/DSPOT; default the calibration's. */
  risk?: number;
  alarm: AlarmOptions;
  /** Alarms lasting less than this (seconds, from the time column) are dropped; 0 keeps all (alarm-duration.ts). */
  minAlarmSeconds: number;
}

export interface ScoredAlarm extends AlarmInterval {
  topChannels: { channel: string; share: number }[];
}

export interface ScoredSeries {
  scores: Float32Array;
  thresholds: Float64Array;
  alarms: ScoredAlarm[];
}

export function scoreSeries(
  model: VaeWindowModel,
  detector: DetectorFile,
  values: Float32Array,
  options: ScoringOptions,
  series: { source: string; time?: readonly string[] },
): ScoredSeries {
  const { scores, contributions } = scoreRows(model, detector.parameters, values);
  const thresholds = rowThresholds(scores, detector, options);
  const channels = model.channels;
  const alarms = dropShortAlarms(alarmIntervals(scores, thresholds, options.alarm), options.minAlarmSeconds, series.time, series.source).map((alarm) => {
    const sums = new Float64Array(channels);
    for (let r = alarm.start; r <= alarm.end; r++) for (let c = 0; c < channels; c++) sums[c]! += contributions[r * channels + c]!;
    const total = sums.reduce((s, v) => s + v, 0) || 1;
    const topChannels = Array.from(sums, (v, c) => ({ channel: model.channelNames[c]!, share: v / total }))
      .sort((a, b) => b.share - a.share)
      .slice(0, 3);
    return { ...alarm, topChannels };
  });
  return { scores, thresholds, alarms };
}

function rowThresholds(scores: Float32Array, detector: DetectorFile, options: ScoringOptions): Float64Array {
  const thresholds = new Float64Array(scores.length);
  if (options.threshold === 'static') return thresholds.fill(detector.calibration.threshold);
  const spotOptions = { q: options.risk ?? detector.calibration.risk, level: SPOT_LEVEL, learnIsolatedAnomalies: true };
  const stream = options.threshold === 'spot' ? new Spot(spotOptions) : new Dspot(spotOptions);
  try {
    stream.fit(Float64Array.from(detector.heldOutScores));
  } catch (error) {
    throw new InputError(
      `cannot start ${options.threshold.toUpperCase()} from ${detector.heldOutScores.length} held-out scores (${error instanceof Error ? error.message : String(error)}); train on more rows or use --threshold static`,
    );
  }
  for (let i = 0; i < scores.length; i++) thresholds[i] = stream.update(scores[i]!).threshold;
  return thresholds;
}

/** The per-row scores CSV: time (or row), score, threshold, above (score > threshold), in_alarm (after debouncing). */
export function scoresCsv(result: ScoredSeries, time: { name: string; values: string[] } | undefined): string {
  const inAlarm = new Uint8Array(result.scores.length);
  for (const a of result.alarms) inAlarm.fill(1, a.start, a.end + 1);
  const lines = [`${quote(time?.name ?? 'row')},score,threshold,above_threshold,in_alarm`];
  for (let r = 0; r < result.scores.length; r++) {
    const key = time ? quote(time.values[r]!) : String(r + 1);
    lines.push(
      `${key},${result.scores[r]!.toPrecision(6)},${result.thresholds[r]!.toPrecision(6)},${result.scores[r]! > result.thresholds[r]! ? 1 : 0},${inAlarm[r]}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The alarm-intervals CSV: start, end (time or row), rows, peak time and score, top channels with their shares. */
export function alarmsCsv(result: ScoredSeries, time: { values: string[] } | undefined): string {
  const at = (r: number) => (time ? quote(time.values[r]!) : String(r + 1));
  const lines = ['start,end,rows,peak_at,peak_score,top_channels'];
  for (const a of result.alarms) {
    const top = a.topChannels.map((t) => `${t.channel} ${(100 * t.share).toFixed(0)}%`).join('; ');
    lines.push(`${at(a.start)},${at(a.end)},${a.end - a.start + 1},${at(a.peakIndex)},${a.peakScore.toPrecision(6)},${quote(top)}`);
  }
  return lines.join('\n') + '\n';
}

function quote(v: string): string {
  return /[",\n\r;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Alarm logic over a stream of scores and thresholds, so one fault becomes one alarm instead of a flood of
 * flagged rows:
 * - **k-of-n debouncing**: an alarm opens only when at least `k` of the last `n` scores exceed their threshold
 *   (one noisy spike is not an alarm); it opens at the row where the k-th exceedance arrives, the moment a live
 *   detector would know.
 * - **hysteresis**: once open, a score counts as quiet only below `clearRatio × threshold`, and the alarm closes
 *   after `clearAfter` quiet scores in a row (a fault hovering around the threshold stays one alarm).
 * - **minimum gap**: an alarm that opens within `minGap` rows of the previous one's end continues it.
 * - **where an interval ends** (`end`): `'cleared'` (default) reports an alarm as lasting until it clears (the
 *   row before its `clearAfter`-th quiet row in a row), the way an operator saw it on the panel: the reported
 *   rows are exactly those for which `push` returned true; `'last-exceedance'` trims it back to its last loud row
 *   (the score's own extent, tighter, but it calls the quiet rows before the clear "normal" although the alarm
 *   was still on). An alarm still open when the stream ends runs to the last row (`'last-exceedance'`: to its
 *   last loud row).
 *
 * Pure and allocation-light: `push` is O(1); intervals are plain objects.
 *
 * @example
 *   const tracker = new AlarmTracker({ k: 3, n: 5, clearRatio: 0.8, clearAfter: 10, minGap: 30, end: 'cleared' });
 *   for (let i = 0; i < scores.length; i++) tracker.push(scores[i], threshold);
 *   const alarms = tracker.finish();   // [{ start, end, peakIndex, peakScore }]
 */

export interface AlarmOptions {
  /** Exceedances needed among the last `n` scores to open an alarm. */
  k: number;
  n: number;
  /** While an alarm is open, a score is quiet only below this fraction of the threshold (1 = no hysteresis). */
  clearRatio: number;
  /** Consecutive quiet scores that close an open alarm. */
  clearAfter: number;
  /** An alarm opening at most this many rows after the previous one ended is merged into it. */
  minGap: number;
  /** Where a reported interval ends: when the alarm cleared (default) or at its last loud row. */
  end: AlarmEnd;
}

export const ALARM_ENDS = ['cleared', 'last-exceedance'] as const;
export type AlarmEnd = (typeof ALARM_ENDS)[number];

export const DEFAULT_ALARM_OPTIONS: Readonly<AlarmOptions> = { k: 3, n: 5, clearRatio: 1, clearAfter: 5, minGap: 30, end: 'cleared' };

/** Rows `start … end` (inclusive) of one alarm, and where its score peaked. */
export interface AlarmInterval {
  start: number;
  end: number;
  peakIndex: number;
  peakScore: number;
}

export class InvalidAlarmOptionsError extends Error {
  override readonly name = 'InvalidAlarmOptionsError';
}

export function validateAlarmOptions(options: AlarmOptions): AlarmOptions {
  const { k, n, clearRatio, clearAfter, minGap, end } = options;
  const isCount = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (!isCount(n, 1) || !isCount(k, 1) || k > n) throw new InvalidAlarmOptionsError(`need integers 1 ≤ k ≤ n, got k=${k} n=${n}`);
  if (!(clearRatio > 0 && clearRatio <= 1)) throw new InvalidAlarmOptionsError(`clearRatio must be in (0, 1], got ${clearRatio}`);
  if (!isCount(clearAfter, 1)) throw new InvalidAlarmOptionsError(`clearAfter must be an integer ≥ 1, got ${clearAfter}`);
  if (!isCount(minGap, 0)) throw new InvalidAlarmOptionsError(`minGap must be an integer ≥ 0, got ${minGap}`);
  if (!ALARM_ENDS.includes(end)) throw new InvalidAlarmOptionsError(`end must be one of ${ALARM_ENDS.join(', ')}, got ${String(end)}`);
  return options;
}

export class AlarmTracker {
  private readonly options: AlarmOptions;
  /** Ring of the last n exceedance flags, and how many of them are set. */
  private readonly recent: Uint8Array;
  private recentCount = 0;
  private index = 0;
  private open: AlarmInterval | undefined;
  private lastLoud = -1;
  private quietRun = 0;
  private readonly closed: AlarmInterval[] = [];

  constructor(options: Partial<AlarmOptions> = {}) {
    this.options = validateAlarmOptions({ ...DEFAULT_ALARM_OPTIONS, ...options });
    this.recent = new Uint8Array(this.options.n);
  }

  /** Whether an alarm is open after the last push. */
  get isOpen(): boolean {
    return this.open !== undefined;
  }

  push(score: number, threshold: number): boolean {
    const i = this.index++;
    const exceeds = score > threshold ? 1 : 0;
    const slot = i % this.options.n;
    this.recentCount += exceeds - this.recent[slot]!;
    this.recent[slot] = exceeds;
    if (this.open) {
      if (score > this.open.peakScore) {
        this.open.peakScore = score;
        this.open.peakIndex = i;
      }
      if (score < this.options.clearRatio * threshold) this.quietRun++;
      else {
        this.quietRun = 0;
        this.lastLoud = i;
      }
      if (this.quietRun >= this.options.clearAfter) this.close(i - 1);
    } else if (this.recentCount >= this.options.k) {
      this.openAt(i, score);
    }
    return this.open !== undefined;
  }

  /** Closes an alarm still open at the end of the stream; returns every alarm, in order. */
  finish(): AlarmInterval[] {
    if (this.open) this.close(this.index - 1);
    return this.closed.map((a) => ({ ...a }));
  }

  private openAt(i: number, score: number): void {
    const previous = this.closed.at(-1);
    if (previous && i - previous.end <= this.options.minGap) {
      this.closed.pop();
      this.open = previous;
      if (score > previous.peakScore) {
        previous.peakScore = score;
        previous.peakIndex = i;
      }
    } else {
      this.open = { start: i, end: i, peakIndex: i, peakScore: score };
    }
    this.lastLoud = i;
    this.quietRun = 0;
  }

  /** Closes the open alarm; `lastOn` is its last row still in alarm (the row before the clear, or the last row). */
  private close(lastOn: number): void {
    const alarm = this.open!;
    alarm.end = Math.max(alarm.start, this.options.end === 'cleared' ? lastOn : this.lastLoud);
    this.closed.push(alarm);
    this.open = undefined;
    this.quietRun = 0;
  }
}

/** Batch form: the alarms of a whole score series against one threshold or a threshold per score. */
export function alarmIntervals(scores: ArrayLike<number>, thresholds: number | ArrayLike<number>, options: Partial<AlarmOptions> = {}): AlarmInterval[] {
  const tracker = new AlarmTracker(options);
  for (let i = 0; i < scores.length; i++) tracker.push(scores[i]!, typeof thresholds === 'number' ? thresholds : thresholds[i]!);
  return tracker.finish();
}

/** 1 for every row inside an alarm, 0 elsewhere. */
export function alarmMask(alarms: readonly AlarmInterval[], length: number): Uint8Array {
  const mask = new Uint8Array(length);
  for (const a of alarms) mask.fill(1, a.start, Math.min(length, a.end + 1));
  return mask;
}

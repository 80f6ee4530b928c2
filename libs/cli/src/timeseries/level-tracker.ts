/**
 * The drift-aware level statistic: how far each channel's short rolling mean (`span` rows) sits from a slow
 * baseline that follows the plant's normal drift. The baseline is an exponential moving average with a time
 * constant of `tau` rows, and it is gated per channel, the way DSPOT (Siffer et al. 2017) only lets normal
 * values into its drift estimate: while a channel deviates by more than `freezeAt` of its training spreads, its
 * baseline stops learning, so a sustained fault (a closed valve) stays an anomaly for as long as it lasts, while
 * a temperature that wanders slowly through the run (which 400 training rows cannot cover) is followed.
 * Gating per channel, not per row, matters: a fault on one channel must not freeze the others' drift tracking,
 * or they would all alarm once the fault ends.
 * A freeze has a limit (`maxFreeze` rows): a level that stays away longer is taken as the plant's new normal
 * and learnt at the usual rate. Without it, one normal change the training rows never showed (a thermal cycle
 * longer than the training run, a new set point, a level shift in a streaming benchmark) freezes the baseline
 * for good and every later row is flagged. The level held when the limit ran out is remembered: a return to it
 * (the end of a fault longer than the limit) snaps the baseline back instead of raising a second alarm. The
 * price: a fault lasting longer than the limit fades into the baseline after it (missed rows, not false ones),
 * so the limit should exceed the longest fault that must stay anomalous to its end.
 *
 * @example
 *   const spread = fitTrackedSpread(scaledFit, channels, { span: 15, tau: 100, freezeAt: 3 });
 *   const deviations = trackedDeviations(scaled, channels, { span: 15, tau: 100, freezeAt: 3 }, spread);
 */
import { rollingMean } from './robust-scaling';

export interface LevelTracking {
  /** Rows of the short rolling mean. */
  span: number;
  /** Time constant (rows) of the baseline that follows normal drift. */
  tau: number;
  /** A channel's baseline freezes while its deviation exceeds this many training spreads. */
  freezeAt: number;
  /**
   * Rows a channel's baseline stays frozen at most; after that the new level is learnt at the usual rate, as
   * the plant's new normal (a regime change). Absent: frozen for as long as the deviation lasts.
   */
  maxFreeze?: number;
}

/** Deviations (scaled units) of each row's rolling mean from the gated baseline; no gating without `spread`. */
export function trackedDeviations(scaled: Float32Array, channels: number, tracking: LevelTracking, spread?: readonly number[]): Float64Array {
  const mean = rollingMean(scaled, channels, tracking.span);
  const baseline = Float64Array.from({ length: channels }, (_, c) => mean[c] ?? 0);
  const out = new Float64Array(mean.length);
  const rate = 1 / tracking.tau;
  const maxFreeze = tracking.maxFreeze ?? Number.POSITIVE_INFINITY;
  // Per channel: rows its baseline has been held in a row, and the level it held when the limit ran out (NaN: none).
  const heldFor = new Float64Array(channels);
  const previousNormal = new Float64Array(channels).fill(Number.NaN);
  for (let i = 0; i < mean.length; i++) {
    const c = i % channels;
    const gate = spread ? tracking.freezeAt * spread[c]! : Number.POSITIVE_INFINITY;
    if (Math.abs(mean[i]! - previousNormal[c]!) < gate) {
      baseline[c] = previousNormal[c]!;
      previousNormal[c] = Number.NaN;
      heldFor[c] = 0;
    }
    const deviation = mean[i]! - baseline[c]!;
    out[i] = deviation;
    if (Math.abs(deviation) < gate) {
      heldFor[c] = 0;
      baseline[c]! += rate * deviation;
    } else if (++heldFor[c]! > maxFreeze) {
      if (heldFor[c] === maxFreeze + 1 && Number.isNaN(previousNormal[c]!)) previousNormal[c] = baseline[c]!;
      baseline[c]! += rate * deviation;
    }
  }
  return out;
}

/**
 * Each channel's spread of the (ungated) deviation over normal rows, skipping each sequence's first `span`
 * rows while its rolling mean warms up; never below `floor`, so a flat training run is not a hair trigger.
 */
export function fitTrackedSpread(sequences: readonly Float32Array[], channels: number, tracking: LevelTracking, floor: number): number[] {
  const sum = new Float64Array(channels);
  let rows = 0;
  for (const scaled of sequences) {
    const deviations = trackedDeviations(scaled, channels, tracking);
    for (let i = tracking.span * channels; i < deviations.length; i++) sum[i % channels]! += deviations[i]! ** 2;
    rows += Math.max(0, deviations.length / channels - tracking.span);
  }
  return Array.from(sum, (s) => Math.max(floor, Math.sqrt(s / Math.max(1, rows))));
}

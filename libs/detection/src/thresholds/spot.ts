/**
 * SPOT: streaming peaks-over-threshold (Siffer, Fouque, Termier, Largouët, "Anomaly Detection in Streams
 * with Extreme Value Theory", KDD 2017, algorithm 2), implemented from the paper.
 *
 * Warm-up on a calibration sample sets the tail threshold t (the `level` quantile), keeps the excesses
 * over t as peaks, fits a GPD and derives the anomaly threshold z_q with P(score > z_q) = q. Then, one score
 * at a time: above z_q → anomaly (not learned from, as in the paper); above t → a peak: stored, GPD refit,
 * z_q updated; otherwise only the observation count grows. Only a peak costs a refit (a few warm-started
 * Newton passes over the kept peaks); everything else is a comparison and an increment, without allocation.
 *
 * Bounded state: at most `maxPeaks` peaks are kept (a ring, the oldest dropped), while the counts n and
 * N_t cover the whole stream, so the tail rate N_t/n stays exact. The cap bounds the checkpoint (base64,
 * ~11 bytes a peak: the whole state is ~3 kB of JSON at the default 250) and the refit cost; 250 excesses pin the GPD
 * shape to about ±0.07, and dropping old peaks lets the tail follow slow change.
 *
 * Known behaviour of the paper's algorithm, measured in bench/spot.bench.ts: discarding anomalies truncates
 * the peak sample at z_q, and the maximum-likelihood GPD of a truncated sample has a bounded tail ending near
 * its largest peak, so on a long stationary stream z_q ratchets down and the alarm rate overshoots q (i.i.d.
 * Exp(1), q = 1e-4, 250 peaks: ~6e-3). `discardAnomalies: false` tracks q (~1.4e-4 there) at the price of
 * learning from true anomalies too. `learnIsolatedAnomalies` is the middle way the detector uses: an anomaly
 * right after a normal score is learned (i.i.d. exceedances are isolated, so the rate tracks q), the rest of a
 * run is not (a sustained fault does not teach the tail at every window).
 *
 * @example
 *   const spot = new Spot({ q: 1e-4 }).fit(calibrationScores);
 *   const { threshold, isAnomaly } = spot.update(score); // the result object is reused: copy to keep it
 *   checkpoint(JSON.stringify(spot.toState()));
 *   const resumed = Spot.fromState(JSON.parse(saved));
 */
import { FloatRing, type FloatRingState } from './float-ring';
import { type GpdFit, fitGpdInto, potQuantile, refitGpdInto } from './gpd';
import { quantile } from '@vigil/features';
import { InvalidThresholdOptionsError, InvalidThresholdStateError, ThresholdNotInferredError } from './threshold.errors';

export interface SpotOptions {
  /** Risk: target probability that a normal score exceeds the anomaly threshold. */
  q: number;
  /** Quantile of the calibration sample used as tail threshold t (the paper's 98 %). */
  level: number;
  /** Peaks kept for the GPD fit; see the module note for why it is capped. */
  maxPeaks: number;
  /** Anomalies are not learned from (the paper's choice); false treats them as peaks. */
  discardAnomalies: boolean;
  /**
   * With `discardAnomalies`, still learn an anomaly that follows a normal score (the first of a run): on a
   * stationary stream exceedances are isolated, so all are learned and the alarm rate tracks q instead of
   * ratcheting up (see the module note); a sustained fault teaches the tail once per run, not at every window.
   * Default false (the paper's algorithm).
   */
  learnIsolatedAnomalies?: boolean;
}

/**
 * How far over the tail threshold a learned anomaly counts, in multiples of z_q's own excess over it. Twice is
 * far enough that i.i.d. exceedances are almost never cut (an exponential tail passes it with probability ~q/level,
 * e.g. 0.5 % of exceedances at q = 1e-4), and near enough that one corrupted window (a live stream's first
 * window scored 615 against a threshold of 5.7) does not lift a device's threshold fifteen-fold.
 */
export const ISOLATED_EXCESS_CAP = 2;

export const DEFAULT_SPOT_OPTIONS: Readonly<SpotOptions> = { q: 1e-4, level: 0.98, maxPeaks: 250, discardAnomalies: true };

/** Outcome of one update. `threshold` is the one the score was judged against. */
export interface ThresholdUpdate {
  threshold: number;
  isAnomaly: boolean;
  /** The score was a peak (above the tail threshold, not an anomaly) and refined the tail fit. */
  isPeak: boolean;
}

export interface SpotFitOptions {
  /** Use this tail threshold instead of the `level` quantile of the sample (e.g. one estimated elsewhere). */
  tailThreshold?: number;
}

export const SPOT_STATE_VERSION = 1;

export interface SpotState {
  kind: 'spot';
  version: typeof SPOT_STATE_VERSION;
  options: SpotOptions;
  tailThreshold: number;
  threshold: number;
  /** Observations learned from (anomalies excluded when discarded). */
  n: number;
  /** Peaks seen over the whole stream (N_t). */
  peakCount: number;
  /** The last score was an anomaly (for `learnIsolatedAnomalies`); absent in states written before it existed. */
  lastWasAnomaly?: boolean;
  gpd: GpdFit;
  peaks: FloatRingState;
}

export function validateSpotOptions(options: SpotOptions): SpotOptions {
  const { q, level, maxPeaks } = options;
  if (!(q > 0 && q < 1)) throw new InvalidThresholdOptionsError(`risk q must be in (0, 1), got ${q}`);
  if (!(level > 0 && level < 1)) throw new InvalidThresholdOptionsError(`level must be in (0, 1), got ${level}`);
  if (!(q < 1 - level)) throw new InvalidThresholdOptionsError(`risk q (${q}) must be below the tail fraction 1 − level (${1 - level})`);
  if (!Number.isInteger(maxPeaks) || maxPeaks < 2) throw new InvalidThresholdOptionsError(`maxPeaks must be an integer ≥ 2, got ${maxPeaks}`);
  return options;
}

export class Spot {
  readonly options: Readonly<SpotOptions>;
  private peaks: FloatRing;
  private readonly gpd: GpdFit = { shape: 0, scale: 1, logLikelihood: Number.NEGATIVE_INFINITY, method: 'exponential' };
  private tail = Number.NaN;
  private anomalyThreshold = Number.NaN;
  private observations = 0;
  private peaksSeen = 0;
  private lastWasAnomaly = false;
  private fitted = false;
  /** Reused for every update so the common path allocates nothing. */
  private readonly result: ThresholdUpdate = { threshold: Number.NaN, isAnomaly: false, isPeak: false };

  constructor(options: Partial<SpotOptions> = {}) {
    this.options = validateSpotOptions({ ...DEFAULT_SPOT_OPTIONS, ...options });
    this.peaks = new FloatRing(this.options.maxPeaks);
  }

  get isFitted(): boolean {
    return this.fitted;
  }

  /** Current anomaly threshold z_q. */
  get threshold(): number {
    this.assertFitted();
    return this.anomalyThreshold;
  }

  /** Tail threshold t above which scores are peaks. */
  get tailThreshold(): number {
    this.assertFitted();
    return this.tail;
  }

  /** Current GPD fit of the kept peaks (a copy). */
  get tailFit(): Readonly<GpdFit> {
    this.assertFitted();
    return { ...this.gpd };
  }

  get observationCount(): number {
    return this.observations;
  }

  get peakCount(): number {
    return this.peaksSeen;
  }

  /** Warm-up on a calibration sample of normal scores (replaces any previous state). */
  fit(sample: ArrayLike<number>, fitOptions: SpotFitOptions = {}): this {
    const tail = fitOptions.tailThreshold ?? quantile(sample, this.options.level);
    this.peaks = new FloatRing(this.options.maxPeaks);
    this.lastWasAnomaly = false;
    let peaksSeen = 0;
    for (let i = 0; i < sample.length; i++) {
      const value = sample[i]!;
      // Same ring as in streaming: with more peaks than the cap, the latest ones are kept.
      if (value > tail) {
        this.peaks.push(value - tail);
        peaksSeen++;
      }
    }
    fitGpdInto(this.gpd, this.peaks.values, this.peaks.size);
    this.tail = tail;
    this.observations = sample.length;
    this.peaksSeen = peaksSeen;
    this.anomalyThreshold = potQuantile(tail, this.gpd, this.options.q, this.observations, this.peaksSeen);
    this.fitted = true;
    return this;
  }

  /**
   * Judges one score against the current threshold, then learns from it. Returns an object owned by this
   * instance and overwritten by the next update. A NaN score is reported as normal and ignored.
   */
  update(score: number): ThresholdUpdate {
    if (!this.fitted) throw new ThresholdNotInferredError('SPOT');
    const result = this.result;
    result.threshold = this.anomalyThreshold;
    result.isAnomaly = score > this.anomalyThreshold;
    result.isPeak = false;
    // NaN (a missing score) is neither flagged nor learned from, so it cannot skew n or the tail.
    if (score !== score) return result;
    const runContinues = this.lastWasAnomaly;
    this.lastWasAnomaly = result.isAnomaly;
    if (result.isAnomaly && this.options.discardAnomalies && (runContinues || !this.options.learnIsolatedAnomalies)) return result;
    this.observations++;
    // An isolated anomaly is learned with its excess capped (ISOLATED_EXCESS_CAP): its count keeps the alarm rate
    // near q, while a glitch hundreds of times over the threshold cannot stretch the tail fit for good.
    if (score > this.tail)
      this.learnPeak(result.isAnomaly ? Math.min(score, this.tail + ISOLATED_EXCESS_CAP * (this.anomalyThreshold - this.tail)) : score, result);
    return result;
  }

  /** The rare path, kept out of `update` so that stays small enough to be inlined into callers. */
  private learnPeak(score: number, result: ThresholdUpdate): void {
    result.isPeak = !result.isAnomaly;
    this.peaks.push(score - this.tail);
    this.peaksSeen++;
    refitGpdInto(this.gpd, this.peaks.values, this.peaks.size);
    this.anomalyThreshold = potQuantile(this.tail, this.gpd, this.options.q, this.observations, this.peaksSeen);
  }

  /** Compact JSON-safe checkpoint; `Spot.fromState` resumes with bit-identical thresholds. */
  toState(): SpotState {
    this.assertFitted();
    return {
      kind: 'spot',
      version: SPOT_STATE_VERSION,
      options: { ...this.options },
      tailThreshold: this.tail,
      threshold: this.anomalyThreshold,
      n: this.observations,
      peakCount: this.peaksSeen,
      lastWasAnomaly: this.lastWasAnomaly,
      gpd: { ...this.gpd },
      peaks: this.peaks.toJSON(),
    };
  }

  static fromState(state: SpotState): Spot {
    if (state?.kind !== 'spot') throw new InvalidThresholdStateError(`expected a SPOT state, got kind ${String(state?.kind)}`);
    if (state.version !== SPOT_STATE_VERSION) throw new InvalidThresholdStateError(`unsupported SPOT state version ${String(state.version)}`);
    const spot = new Spot(state.options);
    try {
      spot.peaks = FloatRing.fromJSON(state.peaks);
    } catch (cause) {
      throw new InvalidThresholdStateError(`SPOT peaks cannot be restored: ${(cause as Error).message}`, { cause });
    }
    if (spot.peaks.capacity !== spot.options.maxPeaks) throw new InvalidThresholdStateError('SPOT peak ring capacity differs from maxPeaks');
    const numbers = [state.tailThreshold, state.threshold, state.n, state.peakCount, state.gpd?.shape, state.gpd?.scale];
    if (!numbers.every((v) => typeof v === 'number' && Number.isFinite(v)))
      throw new InvalidThresholdStateError('SPOT state has missing or non-finite numbers');
    Object.assign(spot.gpd, state.gpd);
    spot.tail = state.tailThreshold;
    spot.anomalyThreshold = state.threshold;
    spot.observations = state.n;
    spot.peaksSeen = state.peakCount;
    spot.lastWasAnomaly = state.lastWasAnomaly === true;
    spot.fitted = true;
    return spot;
  }

  private assertFitted(): void {
    if (!this.fitted) throw new ThresholdNotInferredError('SPOT');
  }
}

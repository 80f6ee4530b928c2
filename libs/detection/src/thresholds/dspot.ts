/**
 * DSPOT: drift-aware SPOT (Siffer et al., KDD 2017, algorithm 4), implemented from the paper. SPOT runs on
 * the residual of each score from the moving average M of the last `depth` normal scores, so a slowly
 * drifting score level (sensor ageing, seasonal load) does not turn into false alarms. The threshold in score
 * units is z_q + M.
 *
 * Warm-up: the moving window runs over the calibration sample; the residuals of its points past the first
 * `depth` calibrate the inner SPOT, and the window ends holding the last `depth` calibration scores.
 * Anomalies do not enter the window (M is left unchanged), peaks and normal scores do.
 *
 * The window sum is updated in O(1) per score and recomputed from the window each time the ring wraps,
 * so rounding cannot accumulate over a long stream (and the recompute is part of the checkpointed state).
 * The window lives in plain fields (not behind FloatRing calls) because V8 boxes doubles that cross
 * non-inlined calls: written out, `update` allocates nothing (checked in bench/spot.bench.ts).
 *
 * @example
 *   const dspot = new Dspot({ q: 1e-4, depth: 20 }).fit(calibrationScores);
 *   const { threshold, isAnomaly } = dspot.update(score); // reused object
 *   const resumed = Dspot.fromState(JSON.parse(JSON.stringify(dspot.toState())));
 */
import { FloatRing, type FloatRingState } from './float-ring';
import { type SpotFitOptions, type SpotOptions, type SpotState, type ThresholdUpdate, Spot } from './spot';
import { InvalidThresholdOptionsError, InvalidThresholdStateError, ThresholdNotInferredError } from './threshold.errors';

export interface DspotOptions extends SpotOptions {
  /** Number of recent normal scores averaged into the drift level M (the paper's d). */
  depth: number;
}

export const DEFAULT_DSPOT_DEPTH = 20;

export const DSPOT_STATE_VERSION = 1;

export interface DspotState {
  kind: 'dspot';
  version: typeof DSPOT_STATE_VERSION;
  depth: number;
  /** Sum of the window as maintained incrementally (exact resume needs it, not a recomputation). */
  windowSum: number;
  window: FloatRingState;
  spot: SpotState;
}

export class Dspot {
  readonly depth: number;
  private spot: Spot;
  /** The last `depth` normal scores, a ring in storage order; `windowCursor` is the next slot to overwrite. */
  private window: Float64Array;
  private windowCursor = 0;
  private windowSum = 0;
  private readonly result: ThresholdUpdate = { threshold: Number.NaN, isAnomaly: false, isPeak: false };

  constructor(options: Partial<DspotOptions> = {}) {
    const { depth = DEFAULT_DSPOT_DEPTH, ...spotOptions } = options;
    if (!Number.isInteger(depth) || depth < 1) throw new InvalidThresholdOptionsError(`depth must be a positive integer, got ${depth}`);
    this.depth = depth;
    this.spot = new Spot(spotOptions);
    this.window = new Float64Array(depth);
  }

  get options(): Readonly<DspotOptions> {
    return { ...this.spot.options, depth: this.depth };
  }

  get isFitted(): boolean {
    return this.spot.isFitted;
  }

  /** Moving average M of the last `depth` normal scores. */
  get driftLevel(): number {
    this.assertFitted();
    return this.windowSum / this.depth;
  }

  /** Current anomaly threshold in score units (z_q + M). */
  get threshold(): number {
    return this.spot.threshold + this.driftLevel;
  }

  /** The inner SPOT on residuals (read-only use: its thresholds are relative to M). */
  get residualSpot(): Spot {
    return this.spot;
  }

  /** Warm-up on calibration scores in time order; needs more than `depth` of them. */
  fit(sample: ArrayLike<number>, fitOptions: SpotFitOptions = {}): this {
    if (sample.length <= this.depth) {
      throw new InvalidThresholdOptionsError(`DSPOT warm-up needs more than depth = ${this.depth} scores, got ${sample.length}`);
    }
    const window = new FloatRing(this.depth);
    let sum = 0;
    for (let i = 0; i < this.depth; i++) {
      window.push(sample[i]!);
      sum += sample[i]!;
    }
    const residuals = new Float64Array(sample.length - this.depth);
    for (let i = this.depth; i < sample.length; i++) {
      residuals[i - this.depth] = sample[i]! - sum / this.depth;
      sum = this.slide(window, sum, sample[i]!);
    }
    this.spot.fit(residuals, fitOptions);
    this.restoreWindow(window.toJSON(), sum);
    return this;
  }

  /** Judges one score, then learns from it; the returned object is reused by the next update. NaN is ignored. */
  update(score: number): ThresholdUpdate {
    if (!this.spot.isFitted) throw new ThresholdNotInferredError('DSPOT');
    const level = this.windowSum / this.depth;
    const inner = this.spot.update(score - level);
    const result = this.result;
    result.threshold = inner.threshold + level;
    result.isAnomaly = inner.isAnomaly;
    result.isPeak = inner.isPeak;
    if (score === score && (!inner.isAnomaly || !this.spot.options.discardAnomalies)) {
      const slot = this.windowCursor;
      const dropped = this.window[slot]!;
      this.window[slot] = score;
      const next = slot + 1 === this.depth ? 0 : slot + 1;
      this.windowCursor = next;
      if (next === 0) {
        // Same order and result as FloatRing.sum(), which the warm-up used.
        let sum = 0;
        for (let i = 0; i < this.depth; i++) sum += this.window[i]!;
        this.windowSum = sum;
      } else {
        this.windowSum = this.windowSum + score - dropped;
      }
    }
    return result;
  }

  toState(): DspotState {
    this.assertFitted();
    const ring = FloatRing.fromValues(this.window, this.windowCursor);
    return { kind: 'dspot', version: DSPOT_STATE_VERSION, depth: this.depth, windowSum: this.windowSum, window: ring.toJSON(), spot: this.spot.toState() };
  }

  static fromState(state: DspotState): Dspot {
    if (state?.kind !== 'dspot') throw new InvalidThresholdStateError(`expected a DSPOT state, got kind ${String(state?.kind)}`);
    if (state.version !== DSPOT_STATE_VERSION) throw new InvalidThresholdStateError(`unsupported DSPOT state version ${String(state.version)}`);
    const dspot = new Dspot({ ...state.spot.options, depth: state.depth });
    dspot.spot = Spot.fromState(state.spot);
    if (!Number.isFinite(state.windowSum)) throw new InvalidThresholdStateError('DSPOT window sum is not finite');
    dspot.restoreWindow(state.window, state.windowSum);
    return dspot;
  }

  private restoreWindow(state: FloatRingState, sum: number): void {
    let ring: FloatRing;
    try {
      ring = FloatRing.fromJSON(state);
    } catch (cause) {
      throw new InvalidThresholdStateError(`DSPOT window cannot be restored: ${(cause as Error).message}`, { cause });
    }
    if (!ring.isFull || ring.capacity !== this.depth) throw new InvalidThresholdStateError('DSPOT window must hold exactly depth scores');
    this.window = Float64Array.from(ring.values);
    this.windowCursor = ring.cursor;
    this.windowSum = sum;
  }

  /** Pushes a score into the full window; returns the new sum (recomputed exactly when the ring wraps). */
  private slide(window: FloatRing, sum: number, score: number): number {
    const dropped = window.oldest ?? 0;
    window.push(score);
    return window.wrapped ? window.sum() : sum + score - dropped;
  }

  private assertFitted(): void {
    if (!this.spot.isFitted) throw new ThresholdNotInferredError('DSPOT');
  }
}

/**
 * Online drift monitoring of one model version's latent stream: the first `referenceSize` normal vectors become
 * the reference window (or a stored one is passed in, so a restart keeps the same reference); after that, every
 * `hop` vectors the last `windowSize` vectors are compared with it (`compareLatentWindows` + `compareScores`).
 * Vectors the detector flagged as anomalous never enter the reference; they do enter current windows (drift
 * is about everything the model now sees) and are counted, so the trigger policy knows how much normal data
 * a window held.
 *
 * @example
 *   const monitor = new LatentWindowMonitor({ modelVersion: 'v3', dim: 8 });
 *   const report = monitor.push({ mean, score, windowStartMs, windowEndMs, flagged: false });
 *   if (report?.latent.drifted) …
 */
import { DriftInputError } from './points';
import {
  compareLatentWindows,
  compareScores,
  type LatentComparison,
  type LatentComparisonOptions,
  type ScoreComparison,
  type ScoreComparisonOptions,
} from './window-comparison';

export const DEFAULT_REFERENCE_SIZE = 300;
export const DEFAULT_WINDOW_SIZE = 200;
export const DEFAULT_ONLINE_PERMUTATIONS = 100;

export interface LatentObservation {
  mean: ArrayLike<number>;
  score: number;
  windowStartMs: number;
  windowEndMs: number;
  /** The detector judged this window anomalous. */
  flagged?: boolean;
}

/** The stored reference of one model version: plain data, JSON-serialisable. */
export interface ReferenceWindow {
  modelVersion: string;
  dim: number;
  count: number;
  /** count × dim latent means, row-major. */
  means: number[];
  scores: number[];
  startMs: number;
  endMs: number;
}

export interface WindowDriftReport {
  modelVersion: string;
  /** Sequence number of the evaluated window for this model version, from 0. */
  windowIndex: number;
  reference: { startMs: number; endMs: number; count: number };
  current: { startMs: number; endMs: number; count: number; flagged: number };
  latent: LatentComparison;
  scores: ScoreComparison;
  drifted: boolean;
}

export interface LatentWindowMonitorOptions {
  modelVersion: string;
  dim: number;
  referenceSize?: number;
  windowSize?: number;
  /** Vectors between evaluations; = windowSize gives tumbling windows. */
  hop?: number;
  latent?: LatentComparisonOptions;
  scores?: ScoreComparisonOptions;
  reference?: ReferenceWindow;
}

export class LatentWindowMonitor {
  readonly modelVersion: string;
  readonly dim: number;
  private readonly referenceSize: number;
  private readonly windowSize: number;
  private readonly hop: number;
  private reference: ReferenceWindow | null;
  private readonly referenceMeans: number[] = [];
  private readonly referenceScores: number[] = [];
  private referenceStartMs = 0;
  // Ring buffers of the current window.
  private readonly ringMeans: Float64Array;
  private readonly ringScores: Float64Array;
  private readonly ringStart: Float64Array;
  private readonly ringEnd: Float64Array;
  private readonly ringFlagged: Uint8Array;
  private filled = 0;
  private next = 0;
  private sinceEvaluation = 0;
  private windowIndex = 0;

  constructor(private readonly options: LatentWindowMonitorOptions) {
    this.modelVersion = options.modelVersion;
    this.dim = options.dim;
    this.referenceSize = options.referenceSize ?? DEFAULT_REFERENCE_SIZE;
    this.windowSize = options.windowSize ?? DEFAULT_WINDOW_SIZE;
    this.hop = options.hop ?? this.windowSize;
    if (this.hop < 1 || this.hop > this.windowSize) throw new DriftInputError(`hop must be in [1, windowSize], got ${this.hop}`);
    if (options.reference && options.reference.dim !== this.dim)
      throw new DriftInputError(`stored reference has dim ${options.reference.dim}, expected ${this.dim}`);
    this.reference = options.reference ?? null;
    this.ringMeans = new Float64Array(this.windowSize * this.dim);
    this.ringScores = new Float64Array(this.windowSize);
    this.ringStart = new Float64Array(this.windowSize);
    this.ringEnd = new Float64Array(this.windowSize);
    this.ringFlagged = new Uint8Array(this.windowSize);
  }

  /** The reference window, once complete (store it per model version). */
  referenceWindow(): ReferenceWindow | null {
    return this.reference;
  }

  push(observation: LatentObservation): WindowDriftReport | null {
    if (observation.mean.length !== this.dim) throw new DriftInputError(`latent has ${observation.mean.length} dimensions, expected ${this.dim}`);
    if (!this.reference) {
      this.addToReference(observation);
      return null;
    }
    const slot = this.next;
    for (let d = 0; d < this.dim; d++) this.ringMeans[slot * this.dim + d] = observation.mean[d]!;
    this.ringScores[slot] = observation.score;
    this.ringStart[slot] = observation.windowStartMs;
    this.ringEnd[slot] = observation.windowEndMs;
    this.ringFlagged[slot] = observation.flagged ? 1 : 0;
    this.next = (slot + 1) % this.windowSize;
    this.filled = Math.min(this.filled + 1, this.windowSize);
    this.sinceEvaluation++;
    if (this.filled < this.windowSize || this.sinceEvaluation < this.hop) return null;
    this.sinceEvaluation = 0;
    return this.evaluate(this.reference);
  }

  private addToReference(observation: LatentObservation): void {
    if (observation.flagged) return;
    if (this.referenceScores.length === 0) this.referenceStartMs = observation.windowStartMs;
    for (let d = 0; d < this.dim; d++) this.referenceMeans.push(observation.mean[d]!);
    this.referenceScores.push(observation.score);
    if (this.referenceScores.length === this.referenceSize) {
      this.reference = {
        modelVersion: this.modelVersion,
        dim: this.dim,
        count: this.referenceSize,
        means: this.referenceMeans.splice(0),
        scores: this.referenceScores.splice(0),
        startMs: this.referenceStartMs,
        endMs: observation.windowEndMs,
      };
    }
  }

  private evaluate(reference: ReferenceWindow): WindowDriftReport {
    const size = this.windowSize;
    const means = new Float64Array(size * this.dim);
    const scores = new Float64Array(size);
    let flagged = 0;
    let startMs = Infinity;
    let endMs = -Infinity;
    // Oldest first: the ring's next slot is its oldest entry once full.
    for (let i = 0; i < size; i++) {
      const slot = (this.next + i) % size;
      means.set(this.ringMeans.subarray(slot * this.dim, (slot + 1) * this.dim), i * this.dim);
      scores[i] = this.ringScores[slot]!;
      flagged += this.ringFlagged[slot]!;
      startMs = Math.min(startMs, this.ringStart[slot]!);
      endMs = Math.max(endMs, this.ringEnd[slot]!);
    }
    const windowIndex = this.windowIndex++;
    const latent = compareLatentWindows(
      { values: reference.means, count: reference.count, dim: this.dim },
      { values: means, count: size, dim: this.dim },
      { permutations: DEFAULT_ONLINE_PERMUTATIONS, ...this.options.latent, seed: (this.options.latent?.seed ?? 0) + windowIndex },
    );
    const scoreComparison = compareScores(reference.scores, scores, this.options.scores);
    return {
      modelVersion: this.modelVersion,
      windowIndex,
      reference: { startMs: reference.startMs, endMs: reference.endMs, count: reference.count },
      current: { startMs, endMs, count: size, flagged },
      latent,
      scores: scoreComparison,
      drifted: latent.drifted || scoreComparison.drifted,
    };
  }
}

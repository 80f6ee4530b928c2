/**
 * One reference window against one current window: the latent tests (MMD with the median-heuristic RBF kernel;
 * per-dimension KS with Benjamini–Hochberg; Wasserstein-1 per dimension, reported, not tested) and the score
 * tests (KS and PSI on anomaly scores). A window is drifted when MMD or the BH-corrected KS rejects at α;
 * that is up to 2α of false alarms per window, which the trigger policy's persistence (N windows in a row)
 * brings down to ~(2α)^N before anyone retrains.
 *
 * @example
 *   const report = compareLatentWindows(reference, current, { alpha: 0.05, seed: 1 });
 *   if (report.drifted) …
 */
import { mmdTest, type MmdResult, type MmdTestOptions } from './kernel-mmd';
import { ksTwoSample, type KsResult } from './kolmogorov-smirnov';
import { benjaminiHochberg } from './multiple-testing';
import { column, assertSameDim, type Points } from './points';
import { populationStabilityIndex, type PsiOptions } from './population-stability';
import { wasserstein1 } from './wasserstein';

export const DEFAULT_ALPHA = 0.05;
/** PSI above which a significant score shift also counts as material (the usual "moderate" bound). */
export const DEFAULT_PSI_THRESHOLD = 0.1;

export interface LatentComparisonOptions extends MmdTestOptions {
  alpha?: number;
}

export interface LatentComparison {
  mmd: MmdResult;
  ks: { statistics: Float64Array; pValues: Float64Array; adjustedPValues: Float64Array; minAdjustedPValue: number; maxStatistic: number };
  wasserstein: { perDimension: Float64Array; mean: number; max: number };
  mmdDrifted: boolean;
  ksDrifted: boolean;
  drifted: boolean;
}

export function compareLatentWindows(reference: Points, current: Points, options: LatentComparisonOptions = {}): LatentComparison {
  assertSameDim(reference, current);
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const mmd = mmdTest(reference, current, options);
  const dim = reference.dim;
  const statistics = new Float64Array(dim);
  const pValues = new Float64Array(dim);
  const perDimension = new Float64Array(dim);
  for (let d = 0; d < dim; d++) {
    const a = column(reference, d);
    const b = column(current, d);
    const ks = ksTwoSample(a, b);
    statistics[d] = ks.statistic;
    pValues[d] = ks.pValue;
    perDimension[d] = wasserstein1(a, b);
  }
  const adjustedPValues = benjaminiHochberg(pValues);
  const minAdjustedPValue = Math.min(...adjustedPValues);
  const mmdDrifted = mmd.pValue <= alpha;
  const ksDrifted = minAdjustedPValue <= alpha;
  return {
    mmd,
    ks: { statistics, pValues, adjustedPValues, minAdjustedPValue, maxStatistic: Math.max(...statistics) },
    wasserstein: { perDimension, mean: perDimension.reduce((s, v) => s + v, 0) / dim, max: Math.max(...perDimension) },
    mmdDrifted,
    ksDrifted,
    drifted: mmdDrifted || ksDrifted,
  };
}

export interface ScoreComparisonOptions extends PsiOptions {
  alpha?: number;
  psiThreshold?: number;
}

export interface ScoreComparison {
  ks: KsResult;
  psi: number;
  /** KS significant at α and PSI material: a large window makes KS reject on shifts too small to matter. */
  drifted: boolean;
}

export function compareScores(reference: ArrayLike<number>, current: ArrayLike<number>, options: ScoreComparisonOptions = {}): ScoreComparison {
  const ks = ksTwoSample(reference, current);
  const psi = populationStabilityIndex(reference, current, options);
  return { ks, psi, drifted: ks.pValue <= (options.alpha ?? DEFAULT_ALPHA) && psi >= (options.psiThreshold ?? DEFAULT_PSI_THRESHOLD) };
}

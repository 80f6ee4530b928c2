/**
 * Threshold-free detection metrics on anomaly scores (higher = more anomalous) against binary labels
 * (1 = anomalous), defined as scikit-learn defines them so our figures compare with published ones:
 * - `rocAuc`: roc_auc_score (Mann–Whitney U with average ranks for ties);
 * - `averagePrecision`: average_precision_score, Σₙ (Rₙ − Rₙ₋₁) Pₙ over distinct thresholds — our "PR-AUC";
 * - `bestF1`: the best F1 over precision_recall_curve's thresholds, with the threshold (predict `score ≥ t`).
 * Fixtures: libs/ml/fixtures/make_detection_metrics.py → detection-metrics.json.
 *
 * @example
 *   const { rocAuc, prAuc, bestF1 } = detectionMetrics(scores, labels);
 */

export class MetricInputError extends Error {
  override readonly name = 'MetricInputError';
}

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): { positives: number; negatives: number } {
  if (scores.length !== labels.length) throw new MetricInputError(`${scores.length} scores but ${labels.length} labels`);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new MetricInputError(`label ${i} is ${labels[i]}, expected 0 or 1`);
    if (Number.isNaN(scores[i])) throw new MetricInputError(`score ${i} is NaN`);
    positives += labels[i]!;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) throw new MetricInputError('need at least one anomalous and one normal example');
  return { positives, negatives };
}

/** Indices sorted by score, descending. */
function byScoreDescending(scores: ArrayLike<number>): number[] {
  return Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
}

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const { positives, negatives } = check(scores, labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[start]!]) end++;
    const averageRank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) if (labels[order[k]!] === 1) positiveRankSum += averageRank;
    start = end + 1;
  }
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface PrPoint {
  threshold: number;
  precision: number;
  recall: number;
}

/** Precision and recall at every distinct score, from the highest threshold down. */
export function precisionRecallCurve(scores: ArrayLike<number>, labels: ArrayLike<number>): PrPoint[] {
  const { positives } = check(scores, labels);
  const order = byScoreDescending(scores);
  const points: PrPoint[] = [];
  let truePositives = 0;
  for (let k = 0; k < order.length; k++) {
    truePositives += labels[order[k]!]!;
    const isLastOfTie = k + 1 === order.length || scores[order[k + 1]!] !== scores[order[k]!];
    if (isLastOfTie) points.push({ threshold: scores[order[k]!]!, precision: truePositives / (k + 1), recall: truePositives / positives });
  }
  return points;
}

export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  let previousRecall = 0;
  let sum = 0;
  for (const { precision, recall } of precisionRecallCurve(scores, labels)) {
    sum += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return sum;
}

export function bestF1(scores: ArrayLike<number>, labels: ArrayLike<number>): { f1: number; threshold: number; precision: number; recall: number } {
  let best = { f1: -1, threshold: Number.NaN, precision: 0, recall: 0 };
  for (const point of precisionRecallCurve(scores, labels)) {
    const sum = point.precision + point.recall;
    const f1 = sum > 0 ? (2 * point.precision * point.recall) / sum : 0;
    if (f1 > best.f1) best = { f1, ...point };
  }
  return best;
}

export interface DetectionMetrics {
  rocAuc: number;
  /** Average precision (scikit-learn's PR-AUC summary). */
  prAuc: number;
  bestF1: number;
  bestF1Threshold: number;
  positives: number;
  negatives: number;
}

export function detectionMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>): DetectionMetrics {
  const { positives, negatives } = check(scores, labels);
  const f1 = bestF1(scores, labels);
  return { rocAuc: rocAuc(scores, labels), prAuc: averagePrecision(scores, labels), bestF1: f1.f1, bestF1Threshold: f1.threshold, positives, negatives };
}

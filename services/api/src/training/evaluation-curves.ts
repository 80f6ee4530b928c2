/**
 * ROC and precision–recall curves of a model version's evaluation, from the score/label pairs its evaluation
 * stored (`evaluation-scores.json` in the version folder), thinned to at most `maxPoints` each for the page.
 * Precision/recall come from libs/ml's `precisionRecallCurve` (scikit-learn's definition); the ROC points are
 * the same sweep over distinct scores, highest first.
 *
 * @example
 *   const { roc, pr } = evaluationCurves([0.9, 0.2, 0.7], [1, 0, 0]);
 */
import { averagePrecision, precisionRecallCurve, rocAuc } from '@vigil/ml';

export interface EvaluationCurves {
  positives: number;
  negatives: number;
  rocAuc: number;
  prAuc: number;
  roc: Array<{ fpr: number; tpr: number }>;
  pr: Array<{ recall: number; precision: number }>;
}

export function evaluationCurves(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): EvaluationCurves {
  const pr = precisionRecallCurve(scores, labels);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i]!;
  const negatives = labels.length - positives;
  // Each PR point is "score ≥ threshold": tp = recall·P, predicted = tp / precision, fp = predicted − tp.
  const roc = [
    { fpr: 0, tpr: 0 },
    ...pr.map((p) => {
      const tp = p.recall * positives;
      const fp = p.precision > 0 ? tp / p.precision - tp : 0;
      return { fpr: fp / negatives, tpr: p.recall };
    }),
  ];
  return {
    positives,
    negatives,
    rocAuc: rocAuc(scores, labels),
    prAuc: averagePrecision(scores, labels),
    roc: thin(roc, maxPoints),
    pr: thin(
      pr.map((p) => ({ recall: p.recall, precision: p.precision })),
      maxPoints,
    ),
  };
}

/** At most `max` points, evenly picked, the first and last kept. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)]!);
}

import { averagePrecision, rocAuc } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import { evaluationCurves, thin } from './evaluation-curves';

describe('evaluationCurves', () => {
  it('sweeps distinct scores from the top: ROC from (0,0) to (1,1), PR as libs/ml defines it', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const labels = [1, 0, 1, 1, 0, 0];
    const c = evaluationCurves(scores, labels);
    expect(c).toMatchObject({ positives: 3, negatives: 3, rocAuc: rocAuc(scores, labels), prAuc: averagePrecision(scores, labels) });
    expect(c.roc).toEqual([
      { fpr: 0, tpr: 0 },
      { fpr: 0, tpr: 1 / 3 },
      { fpr: 1 / 3, tpr: 1 / 3 },
      { fpr: 1 / 3, tpr: 2 / 3 },
      { fpr: 1 / 3, tpr: 1 },
      { fpr: 2 / 3, tpr: 1 },
      { fpr: 1, tpr: 1 },
    ]);
    expect(c.pr[0]).toEqual({ recall: 1 / 3, precision: 1 });
    expect(c.pr.at(-1)).toEqual({ recall: 1, precision: 0.5 });
  });

  it('thins long curves evenly, keeping both ends', () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const out = thin(points, 11);
    expect(out).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(thin([1, 2], 5)).toEqual([1, 2]);
  });
});

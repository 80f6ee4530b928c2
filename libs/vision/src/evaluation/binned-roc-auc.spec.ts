import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@vigil/features';
import { rocAuc } from '@vigil/ml';
import { BinnedRocAuc } from './binned-roc-auc';

describe('BinnedRocAuc', () => {
  it('agrees with the exact rank ROC-AUC', () => {
    const random = mulberry32(3);
    const labels = Array.from({ length: 5000 }, () => (random() < 0.2 ? 1 : 0));
    const scores = labels.map((l) => random() + 0.4 * l);
    const binned = new BinnedRocAuc(0, 1.4);
    binned.add(scores, labels);
    expect(binned.value()).toBeCloseTo(rocAuc(scores, labels), 4);
  });
});

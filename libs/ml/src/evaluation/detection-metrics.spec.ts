import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { averagePrecision, bestF1, detectionMetrics, MetricInputError, rocAuc } from './detection-metrics';

interface MetricCase {
  name: string;
  scores: number[];
  labels: number[];
  roc_auc: number;
  average_precision: number;
  best_f1: number;
  best_f1_threshold: number;
}

const fixture = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'detection-metrics.json'), 'utf8')) as { cases: MetricCase[] };

describe('detection metrics match scikit-learn', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(rocAuc(c.scores, c.labels)).toBeCloseTo(c.roc_auc, 10);
    expect(averagePrecision(c.scores, c.labels)).toBeCloseTo(c.average_precision, 10);
    const f1 = bestF1(c.scores, c.labels);
    expect(f1.f1).toBeCloseTo(c.best_f1, 10);
    expect(f1.threshold).toBe(c.best_f1_threshold);
  });
});

describe('detectionMetrics', () => {
  it('counts the classes', () => {
    const m = detectionMetrics([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
    expect([m.positives, m.negatives, m.rocAuc]).toEqual([2, 2, 0.75]);
  });

  it.each([
    [[0.1, 0.2], [0], /1 labels/],
    [[0.1, 0.2], [1, 1], /at least one/],
    [[0.1, 0.2], [0, 2], /expected 0 or 1/],
    [[Number.NaN, 0.2], [0, 1], /NaN/],
  ])('rejects bad input %#', (scores, labels, message) => {
    expect(() => detectionMetrics(scores, labels)).toThrow(MetricInputError);
    expect(() => detectionMetrics(scores, labels)).toThrow(message);
  });
});

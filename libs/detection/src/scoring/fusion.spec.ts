import { describe, expect, it } from 'vitest';
import { lateFusion } from './fusion';

describe('lateFusion', () => {
  it('is the largest score/threshold ratio, anomalous when any modality is, with shares of the ratios', () => {
    const v = lateFusion([
      { modality: 'SENSOR', score: 2, threshold: 1, isAnomaly: true },
      { modality: 'AUDIO', score: 1, threshold: 2, isAnomaly: false },
    ]);
    expect(v).toEqual({ fusedScore: 2, fusedThreshold: 1, isAnomaly: true, shares: { SENSOR: 0.8, AUDIO: 0.2 } });
  });

  it('takes a fused model’s score and threshold as the window’s, anomalous if it or any single model says so', () => {
    const v = lateFusion([
      { modality: 'SENSOR', score: 0.5, threshold: 1, isAnomaly: false },
      { modality: 'FUSED', score: 3, threshold: 2, isAnomaly: true },
    ]);
    expect(v).toMatchObject({ fusedScore: 3, fusedThreshold: 2, isAnomaly: true, shares: { SENSOR: 1 } });
    expect(
      lateFusion([
        { modality: 'SENSOR', score: 2, threshold: 1, isAnomaly: true },
        { modality: 'FUSED', score: 1, threshold: 2, isAnomaly: false },
      ]).isAnomaly,
    ).toBe(true);
  });

  it('is zero and normal without scores', () => {
    expect(lateFusion([])).toEqual({ fusedScore: 0, fusedThreshold: 1, isAnomaly: false, shares: {} });
  });
});

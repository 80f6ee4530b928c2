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

  it('is zero and normal without scores', () => {
    expect(lateFusion([])).toEqual({ fusedScore: 0, fusedThreshold: 1, isAnomaly: false, shares: {} });
  });
});

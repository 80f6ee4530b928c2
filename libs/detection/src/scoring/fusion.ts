/**
 * Late fusion of per-modality verdicts, a pure function: each modality's score is divided by its own threshold
 * and the fused score is the largest ratio (fused threshold 1), so a window is anomalous when any modality is.
 * Each modality's share is its part of the summed ratios, for the root cause ("which modality"). A fused model
 * (the multimodal VAE) replaces this by scoring the window itself; its result keeps the same shape.
 */
import type { ModalityScore } from '@vigil/contracts';

export interface FusedVerdict {
  fusedScore: number;
  fusedThreshold: number;
  isAnomaly: boolean;
  /** Modality → share of the summed score/threshold ratios (sums to 1; empty without scores). */
  shares: Record<string, number>;
}

export function lateFusion(modalities: readonly ModalityScore[]): FusedVerdict {
  const ratios = modalities.map((m) => (m.threshold > 0 ? m.score / m.threshold : 0));
  const total = ratios.reduce((a, b) => a + Math.max(0, b), 0);
  const shares: Record<string, number> = {};
  modalities.forEach((m, i) => {
    if (total > 0) shares[m.modality] = Math.max(0, ratios[i]!) / total;
  });
  return {
    fusedScore: ratios.length ? Math.max(...ratios) : 0,
    fusedThreshold: 1,
    isAnomaly: modalities.some((m) => m.isAnomaly),
    shares,
  };
}

/**
 * Late fusion of per-modality verdicts, a pure function: each modality's score is divided by its own threshold
 * and the fused score is the largest ratio (fused threshold 1), so a window is anomalous when any modality is.
 * Each modality's share is its part of the summed ratios, for the root cause ("which modality"). When a fused
 * model (the multimodal VAE) scored the window (a `FUSED` entry), its score and threshold are the window's, and
 * the window is anomalous when it or any single-modality model says so.
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
  const fused = modalities.find((m) => m.modality === 'FUSED');
  if (fused) {
    const rest = lateFusion(modalities.filter((m) => m !== fused));
    return { fusedScore: fused.score, fusedThreshold: fused.threshold, isAnomaly: fused.isAnomaly || rest.isAnomaly, shares: rest.shares };
  }
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

/**
 * Benjamini–Hochberg adjusted p-values (as scipy.stats.false_discovery_control(method='bh')). The per-dimension
 * KS tests use them: a latent window counts as drifted when any adjusted p-value is ≤ α, which controls the
 * false discovery rate at α and, when no dimension has moved (the case that matters for false alarms), the
 * family-wise error rate too — with more power than Holm when several dimensions move together.
 *
 * @example
 *   benjaminiHochberg([0.01, 0.04, 0.03]); // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(pValues: ArrayLike<number>): Float64Array {
  const count = pValues.length;
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Float64Array(count);
  let runningMin = 1;
  for (let rank = count; rank >= 1; rank--) {
    const index = order[rank - 1]!;
    runningMin = Math.min(runningMin, (pValues[index]! * count) / rank);
    adjusted[index] = runningMin;
  }
  return adjusted;
}

/**
 * Does a validation set order model settings the way the test split does? Spearman's rank correlation of the two
 * ROC-AUCs over the settings, and the share of pairs of settings ordered alike among those that differ by at least
 * `margin` on both (smaller differences are noise on a few hundred images). Used once a choice is made, to report
 * whether the synthetic validation set can be trusted for the next one (eval/knobs.eval.ts --test).
 *
 * @example
 *   rankAgreement([[0.96, 0.95], [0.98, 0.94]]); // { spearman: -1, agreeing: 0, pairs: 1 }
 */
export function rankAgreement(pairsOfAuc: readonly (readonly [number, number])[], margin = 0.002): { spearman: number; agreeing: number; pairs: number } {
  const ranks = (values: number[]) => {
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const out = new Array<number>(values.length);
    order.forEach((i, r) => (out[i] = r));
    return out;
  };
  const rv = ranks(pairsOfAuc.map((p) => p[0]));
  const rt = ranks(pairsOfAuc.map((p) => p[1]));
  const mean = (rv.length - 1) / 2;
  let cov = 0;
  let vv = 0;
  let vt = 0;
  rv.forEach((r, i) => {
    cov += (r - mean) * (rt[i]! - mean);
    vv += (r - mean) ** 2;
    vt += (rt[i]! - mean) ** 2;
  });
  let agreeing = 0;
  let pairs = 0;
  for (let i = 0; i < pairsOfAuc.length; i++)
    for (let j = i + 1; j < pairsOfAuc.length; j++) {
      const dv = pairsOfAuc[i]![0] - pairsOfAuc[j]![0];
      const dt = pairsOfAuc[i]![1] - pairsOfAuc[j]![1];
      if (Math.abs(dv) < margin || Math.abs(dt) < margin) continue;
      pairs++;
      if (dv > 0 === dt > 0) agreeing++;
    }
  return { spearman: cov / Math.sqrt(vv * vt), agreeing, pairs };
}

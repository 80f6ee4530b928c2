/**
 * Two-sample Kolmogorov–Smirnov test (two-sided), matching scipy.stats.ks_2samp(method='auto') for the sizes the
 * drift windows use: the statistic is max |F₁ − F₂| over the pooled sample, and the p-value is the exact
 * P(D ≥ d) under the null (a lattice-path recursion, O(n·m), summed over first exits so small p-values keep
 * their precision) while n·m ≤ `EXACT_PRODUCT_LIMIT`; above that, Kolmogorov's limiting distribution with
 * Stephens' small-sample correction (scipy uses the exact one-sample law there; the two agree to ~1e-2).
 *
 * @example
 *   const { statistic, pValue } = ksTwoSample(referenceScores, currentScores);
 */
import { DriftInputError } from './points';

export const EXACT_PRODUCT_LIMIT = 4_000_000;

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** max |F₁ − F₂| over sorted samples, counting ties on both sides before comparing (as searchsorted 'right'). */
function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i] === value) i++;
    while (j < b.length && b[j] === value) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

/**
 * P(D ≥ h / lcm) for sample sizes n1, n2: the probability that a uniformly random arrangement of the pooled
 * sample walks, at some point, to a lattice point (i, j) with |i/n1 − j/n2| ≥ d. Forward recursion over
 * probabilities (not path counts, which overflow past n ≈ 500), one row at a time.
 */
function exactTwoSidedPValue(n1: number, n2: number, h: number, g: number): number {
  const step1 = n2 / g; // lcm / n1
  const step2 = n1 / g; // lcm / n2
  const total = n1 + n2;
  let previous = new Float64Array(n2 + 1);
  let current = new Float64Array(n2 + 1);
  let exited = 0;
  for (let i = 0; i <= n1; i++) {
    for (let j = 0; j <= n2; j++) {
      let mass = 0;
      if (i === 0 && j === 0) mass = 1;
      if (i > 0) mass += (previous[j]! * (n1 - i + 1)) / (total - i + 1 - j);
      if (j > 0) mass += (current[j - 1]! * (n2 - j + 1)) / (total - i - j + 1);
      if (Math.abs(i * step1 - j * step2) >= h) {
        exited += mass;
        current[j] = 0;
      } else {
        current[j] = mass;
      }
    }
    [previous, current] = [current, previous];
  }
  return Math.min(1, exited);
}

/** Kolmogorov's limiting survival function Q(λ) = 2 Σ (−1)^(k−1) exp(−2k²λ²). */
function kolmogorovSurvival(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

export function ksTwoSample(sample1: ArrayLike<number>, sample2: ArrayLike<number>): KsResult {
  if (sample1.length === 0 || sample2.length === 0) throw new DriftInputError('ksTwoSample needs two non-empty samples');
  const a = Float64Array.from(sample1).sort();
  const b = Float64Array.from(sample2).sort();
  const n1 = a.length;
  const n2 = b.length;
  const d = ksStatistic(a, b);
  if (n1 * n2 <= EXACT_PRODUCT_LIMIT) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    if (h === 0) return { statistic: d, pValue: 1, method: 'exact' };
    return { statistic: h / lcm, pValue: exactTwoSidedPValue(n1, n2, h, g), method: 'exact' };
  }
  const en = Math.sqrt((n1 * n2) / (n1 + n2));
  return { statistic: d, pValue: kolmogorovSurvival((en + 0.12 + 0.11 / en) * d), method: 'asymptotic' };
}

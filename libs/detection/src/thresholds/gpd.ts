/**
 * Generalized Pareto distribution (GPD) for peaks-over-threshold: maximum-likelihood fit by Grimshaw's
 * reduction to one dimension, and the tail quantile that turns a fit into an anomaly threshold.
 *
 * Parameters follow `scipy.stats.genpareto` with `loc = 0`: `shape` is scipy's `c` (Siffer's γ), `scale` is σ.
 * Excesses are `Y = X - t > 0` over a tail threshold t.
 *
 * Grimshaw (1993): with `x = γ/σ`, the scale maximising the likelihood for a given x gives
 * `γ(x) = mean(log(1 + x·Y))`, and stationary points of the likelihood are the roots of
 * `w(x) = u(x)·v(x) − 1`, `u(x) = mean(1/(1 + x·Y))`, `v(x) = 1 + mean(log(1 + x·Y))`, on
 * `(−1/Ymax, 0) ∪ (0, 2(Ȳ − Ymin)/Ymin²]`. We bracket roots on a log-spaced grid, refine each by
 * safeguarded Newton, and keep the candidate (roots or the exponential limit x → 0) with the highest
 * likelihood. We never take the boundary x → −1/Ymax, where the likelihood is unbounded (γ < −1).
 *
 * @example
 *   const fit = fitGpd(excesses);                        // { shape, scale, logLikelihood, method }
 *   const z = potQuantile(t, fit, 1e-4, n, excesses.length); // P(X > z) = 1e-4
 */

export interface GpdParams {
  /** Shape γ (scipy's `c`): > 0 heavy tail, 0 exponential, < 0 bounded tail. */
  shape: number;
  /** Scale σ > 0. */
  scale: number;
}

export type GpdFitMethod = 'grimshaw' | 'exponential';

export interface GpdFit extends GpdParams {
  /** Log-likelihood of the excesses under the fitted parameters. */
  logLikelihood: number;
  method: GpdFitMethod;
}

export class InsufficientExcessesError extends Error {
  override readonly name = 'InsufficientExcessesError';
  constructor(count: number) {
    super(`a GPD fit needs at least 2 positive excesses with some spread, got ${count}`);
  }
}

/** Points per side of the bracketing grid: enough to separate the (at most few) roots seen in practice. */
const GRID_POINTS = 32;
const NEWTON_MAX_ITERATIONS = 50;
const ROOT_TOLERANCE = 1e-12;
/** Relative distance kept from the pole x = −1/Ymax, where w is singular. */
const EDGE_EPSILON = 1e-8;
/**
 * Smallest |x|·Ymax scanned. Near 0, w(x) = O(x²) sinks into rounding noise and would show spurious sign
 * changes; roots that close to 0 are the exponential fit anyway, which is always a candidate.
 */
const ZERO_EPSILON = 1e-6;

/** Log-likelihood of excesses `y[0..count)` under a GPD with location 0. −∞ outside the support. */
export function gpdLogLikelihood(y: ArrayLike<number>, params: GpdParams, count = y.length): number {
  const { shape, scale } = params;
  if (!(scale > 0)) return Number.NEGATIVE_INFINITY;
  let sum = 0;
  if (shape === 0) {
    for (let i = 0; i < count; i++) sum += y[i]!;
    return -count * Math.log(scale) - sum / scale;
  }
  const x = shape / scale;
  for (let i = 0; i < count; i++) {
    const arg = x * y[i]!;
    if (!(arg > -1)) return Number.NEGATIVE_INFINITY;
    sum += Math.log1p(arg);
  }
  return -count * Math.log(scale) - (1 + 1 / shape) * sum;
}

/** Value z with P(Y > z) = p for the GPD (location 0), 0 < p ≤ 1. */
export function gpdQuantile(params: GpdParams, p: number): number {
  const { shape, scale } = params;
  if (shape === 0) return -scale * Math.log(p);
  return (scale / shape) * Math.expm1(-shape * Math.log(p));
}

/**
 * The POT anomaly threshold z_q with P(X > z_q) = q, given a tail threshold t, a GPD fit of the excesses,
 * n observations seen and peakCount of them above t (Siffer et al. 2017, eq. 1).
 */
export function potQuantile(tailThreshold: number, params: GpdParams, q: number, n: number, peakCount: number): number {
  return tailThreshold + gpdQuantile(params, (q * n) / peakCount);
}

/** Statistics of the excesses that the fit needs besides the values. */
interface ExcessSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
}

function summarise(y: ArrayLike<number>, count: number): ExcessSummary {
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count, mean: sum / count, min, max };
}

/**
 * Newton state at x: w(x) and its derivative, plus γ(x). Written into `out` to stay allocation-free in the
 * streaming refit. Returns false if x is outside the support (1 + x·Ymax ≤ 0).
 */
interface GrimshawPoint {
  w: number;
  dw: number;
  gamma: number;
  /** dγ/dx (only set by evaluateProfileScore). */
  gammaSlope: number;
}

function evaluateGrimshaw(y: ArrayLike<number>, count: number, x: number, out: GrimshawPoint): boolean {
  let sumInverse = 0;
  let sumLog = 0;
  let sumYInverse = 0;
  let sumYInverseSquared = 0;
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    const arg = x * v;
    if (!(arg > -1)) return false;
    const inverse = 1 / (1 + arg);
    sumInverse += inverse;
    sumLog += Math.log1p(arg);
    const yInverse = v * inverse;
    sumYInverse += yInverse;
    sumYInverseSquared += yInverse * inverse;
  }
  const u = sumInverse / count;
  const v = 1 + sumLog / count;
  out.w = u * v - 1;
  // u' = −mean(Y/(1+xY)²), v' = mean(Y/(1+xY)).
  out.dw = (-sumYInverseSquared / count) * v + u * (sumYInverse / count);
  out.gamma = sumLog / count;
  return true;
}

/** Profile log-likelihood at x (σ chosen optimally for this x). */
function profileLogLikelihood(count: number, x: number, gamma: number): number {
  if (gamma === 0) return Number.NEGATIVE_INFINITY;
  const scale = gamma / x;
  if (!(scale > 0)) return Number.NEGATIVE_INFINITY;
  // ℓ = −n log σ − (1 + 1/γ) Σ log(1 + xY) = −n log σ − n(γ + 1).
  return -count * Math.log(scale) - count * (gamma + 1);
}

const scratch: GrimshawPoint = { w: 0, dw: 0, gamma: 0, gammaSlope: 0 };

/**
 * Root of w on [lo, hi] (w(lo), w(hi) of opposite signs) by Newton steps kept inside the bracket, falling
 * back to bisection when a step leaves it or does not shrink it enough.
 */
function refineRoot(y: ArrayLike<number>, count: number, lo: number, hi: number, wLo: number): number {
  let x = 0.5 * (lo + hi);
  for (let iteration = 0; iteration < NEWTON_MAX_ITERATIONS; iteration++) {
    if (!evaluateGrimshaw(y, count, x, scratch)) return Number.NaN;
    if (scratch.w === 0) return x;
    if (Math.sign(scratch.w) === Math.sign(wLo)) lo = x;
    else hi = x;
    let next = x - scratch.w / scratch.dw;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= ROOT_TOLERANCE * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** Fills `out` with the better of `candidate x` and what `out` holds. */
function considerCandidate(y: ArrayLike<number>, count: number, x: number, out: GpdFit): void {
  if (!Number.isFinite(x) || x === 0) return;
  if (!evaluateGrimshaw(y, count, x, scratch)) return;
  const logLikelihood = profileLogLikelihood(count, x, scratch.gamma);
  if (logLikelihood > out.logLikelihood) {
    out.shape = scratch.gamma;
    out.scale = scratch.gamma / x;
    out.logLikelihood = logLikelihood;
    out.method = 'grimshaw';
  }
}

/**
 * Scans x = at(i) for i in [0, GRID_POINTS) for sign changes of w and refines each bracketed root.
 * `at` maps grid indices to x, monotonically.
 */
function scanSide(y: ArrayLike<number>, count: number, at: (i: number) => number, out: GpdFit): void {
  let previousX = at(0);
  if (!evaluateGrimshaw(y, count, previousX, scratch)) return;
  let previousW = scratch.w;
  for (let i = 1; i < GRID_POINTS; i++) {
    const x = at(i);
    if (!evaluateGrimshaw(y, count, x, scratch)) break;
    const w = scratch.w;
    if (w === 0) considerCandidate(y, count, x, out);
    else if (previousW !== 0 && Math.sign(w) !== Math.sign(previousW)) {
      const lo = Math.min(previousX, x);
      const hi = Math.max(previousX, x);
      considerCandidate(y, count, refineRoot(y, count, lo, hi, lo === previousX ? previousW : w), out);
    }
    previousX = x;
    previousW = w;
  }
}

/**
 * Full (global) maximum-likelihood fit into `out`. Used at calibration and whenever the warm-started
 * refinement cannot be trusted.
 */
export function fitGpdInto(out: GpdFit, y: ArrayLike<number>, count = y.length): GpdFit {
  if (count < 2) throw new InsufficientExcessesError(count);
  const summary = summarise(y, count);
  if (!(summary.min >= 0) || !(summary.max > 0) || summary.max === summary.min) throw new InsufficientExcessesError(count);
  // The exponential limit x → 0 is always a candidate.
  out.shape = 0;
  out.scale = summary.mean;
  out.logLikelihood = gpdLogLikelihood(y, out, count);
  out.method = 'exponential';
  // Negative side (−1/Ymax, 0): logit-spaced, so both the pole and 0 are approached geometrically.
  const pole = -1 / summary.max;
  const nearPole = -Math.log(EDGE_EPSILON);
  const nearZero = -Math.log(ZERO_EPSILON);
  scanSide(y, count, (i) => pole / (1 + Math.exp(nearZero - ((nearZero + nearPole) * i) / (GRID_POINTS - 1))), out);
  // Positive side (0, 2(Ȳ − Ymin)/Ymin²]: log-spaced from x·Ymax = ε, the scale of the data, up to the bound.
  const smallest = Math.max(summary.min, summary.max * 1e-12);
  const upper = (2 * (summary.mean - smallest)) / (smallest * smallest);
  const lower = ZERO_EPSILON / summary.max;
  if (upper > lower && Number.isFinite(upper)) {
    scanSide(y, count, (i) => lower * Math.pow(upper / lower, i / (GRID_POINTS - 1)), out);
  }
  return out;
}

/** Maximum-likelihood GPD fit of positive excesses. */
export function fitGpd(y: ArrayLike<number>, count = y.length): GpdFit {
  return fitGpdInto({ shape: 0, scale: 1, logLikelihood: Number.NEGATIVE_INFINITY, method: 'exponential' }, y, count);
}

/**
 * Score of the profile likelihood, f(x) = ℓ_p'(x)/n, and its derivative, in a form without the trivial root
 * at x = 0 that w has (w has a double zero there, so Newton on w crawls when the shape is near 0, which is
 * the common exponential-like tail). With a = x·Y, g = mean(log1p(a)), g' = mean(Y/(1+a)),
 * A = mean(log1p(a) − a/(1+a)), B = mean((Y/(1+a))²):  f = A/(x·g) − g',  f' = (x²gB − A(g + xg'))/(xg)² + B.
 * Written into `out` (w ← f, dw ← f', gamma ← g, gammaSlope ← g'). Returns false outside the support.
 */
function evaluateProfileScore(y: ArrayLike<number>, count: number, x: number, out: GrimshawPoint): boolean {
  let sumLog = 0;
  let sumA = 0;
  let sumYInverse = 0;
  let sumB = 0;
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    const arg = x * v;
    if (!(arg > -1)) return false;
    const inverse = 1 / (1 + arg);
    const log = Math.log1p(arg);
    sumLog += log;
    sumA += log - arg * inverse;
    const yInverse = v * inverse;
    sumYInverse += yInverse;
    sumB += yInverse * yInverse;
  }
  const g = sumLog / count;
  const dg = sumYInverse / count;
  const a = sumA / count;
  const b = sumB / count;
  const xg = x * g;
  out.w = a / xg - dg;
  out.dw = (x * x * g * b - a * (g + x * dg)) / (xg * xg) + b;
  out.gamma = g;
  out.gammaSlope = dg;
  return true;
}

/** Relative Newton step below which the refit is accepted (see refitGpdInto). */
const NEWTON_ACCEPT_STEP = 1e-6;

/** Below this |x|·Ymax the profile score loses precision to cancellation; we start Newton from here instead. */
const WARM_START_MIN = 1e-4;

/**
 * Refit after the excess sample changed a little (one peak added or replaced): Newton on the profile
 * likelihood score from the previous x = γ/σ, which converges in a few passes, instead of the full scan.
 * Falls back to `fitGpdInto` when Newton leaves the domain, does not converge, lands on a minimum, or when
 * the exponential limit is more likely.
 */
export function refitGpdInto(out: GpdFit, y: ArrayLike<number>, count: number): GpdFit {
  if (count < 2) return fitGpdInto(out, y, count);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const v = y[i]!;
    sum += v;
    if (v > max) max = v;
  }
  if (!(max > 0)) return fitGpdInto(out, y, count);
  let x = out.method === 'grimshaw' ? out.shape / out.scale : 0;
  if (Math.abs(x) * max < WARM_START_MIN) x = (x < 0 ? -WARM_START_MIN : WARM_START_MIN) / max;
  for (let iteration = 0; iteration < 12; iteration++) {
    if (!evaluateProfileScore(y, count, x, scratch) || !(scratch.dw < 0)) break;
    let next = x - scratch.w / scratch.dw;
    // Stay inside the support: at most halfway to the pole.
    if (next * max <= -1) next = 0.5 * (x - 1 / max);
    if (!Number.isFinite(next)) break;
    const step = next - x;
    // Newton converges quadratically: once the step is ~1e-6 relative, `next` is exact to ~1e-12 and
    // γ(next) = g(x) + step·g'(x) to second order, which saves the pass that would evaluate it.
    if (Math.abs(step) <= NEWTON_ACCEPT_STEP * Math.abs(next)) {
      if (Math.abs(next) * max < WARM_START_MIN) break;
      const gamma = scratch.gamma + step * scratch.gammaSlope;
      const logLikelihood = profileLogLikelihood(count, next, gamma);
      // The exponential candidate, as in the full fit: ℓ = −n log Ȳ − n.
      const exponential = -count * Math.log(sum / count) - count;
      if (!(logLikelihood >= exponential)) break;
      out.shape = gamma;
      out.scale = gamma / next;
      out.logLikelihood = logLikelihood;
      out.method = 'grimshaw';
      return out;
    }
    x = next;
  }
  return fitGpdInto(out, y, count);
}

/**
 * Fusion of diagonal Gaussian experts `q_m(z | x_m) = N(μ_m, σ²_m)` into one posterior, per window, with a
 * presence mask so a missing modality's expert takes no part at all (it is not read as a zero input).
 *
 * - Product of Experts (MVAE, Wu & Goodman 2018) with the prior expert N(0, I):
 *     precision T = 1 + Σ_m p_m / σ²_m,   μ = (Σ_m p_m μ_m / σ²_m) / T,   σ² = 1 / T        (p_m ∈ {0, 1})
 * - Mixture of Experts (MMVAE, Shi et al. 2019): uniform weights p_m / Σ p over the present experts; a window's
 *   codes are drawn from each present expert in turn (stratified), which is what `mixtureWeights` supports.
 *
 * All functions take and return tensors `[batch, latentDim]` (masks `[batch]`) inside the caller's tidy.
 *
 * @example
 *   const { mean, logVar } = productOfExperts([sensorExpert, audioExpert], [sensorPresent, audioPresent]);
 */
import { tf } from '../../runtime';

type Tensor = ReturnType<typeof tf.tensor>;

export interface GaussianExpert {
  mean: Tensor;
  logVar: Tensor;
}

/** Keeps log-variances in a range where exp() neither overflows nor makes one expert's precision infinite. */
const LOG_VAR_LIMIT = 10;

export function productOfExperts(experts: readonly GaussianExpert[], present: readonly Tensor[]): GaussianExpert {
  return tf.tidy(() => {
    let precision: Tensor = tf.onesLike(experts[0]!.mean);
    let weightedMean: Tensor = tf.zerosLike(experts[0]!.mean);
    experts.forEach((expert, i) => {
      const p = present[i]!.reshape([-1, 1]);
      const expertPrecision = tf.mul(tf.exp(tf.neg(tf.clipByValue(expert.logVar, -LOG_VAR_LIMIT, LOG_VAR_LIMIT))), p);
      precision = tf.add(precision, expertPrecision);
      // mul by p again: a missing row may hold any finite garbage in its mean, and 0 · garbage = 0.
      weightedMean = tf.add(weightedMean, tf.mul(tf.mul(expert.mean, p), expertPrecision));
    });
    return { mean: tf.div(weightedMean, precision), logVar: tf.neg(tf.log(precision)) };
  });
}

/** Mixture weights `[batch, experts]`: uniform over the present experts (rows with none present get zeros). */
export function mixtureWeights(present: readonly Tensor[]): Tensor {
  return tf.tidy(() => {
    const stacked = tf.stack(present.map((p) => p.reshape([-1])), 1);
    return tf.divNoNan(stacked, tf.sum(stacked, 1, true));
  });
}

/** Per-window KL(N(μ, σ²) ‖ N(0, I)) `[batch]`. */
export function klToStandardNormal(expert: GaussianExpert): Tensor {
  return tf.tidy(() => tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, expert.logVar), tf.add(tf.square(expert.mean), tf.exp(expert.logVar))), 1)));
}

/** z = μ + σ·ε with seeded ε. */
export function reparameterise(expert: GaussianExpert, seed?: number): Tensor {
  return tf.tidy(() => tf.add(expert.mean, tf.mul(tf.exp(tf.mul(0.5, expert.logVar)), tf.randomNormal(expert.mean.shape, 0, 1, 'float32', seed))));
}

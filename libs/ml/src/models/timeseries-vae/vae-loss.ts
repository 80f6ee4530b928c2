/**
 * β-VAE loss for a Gaussian decoder with unit variance: per window, ½‖x − x̂‖² + β·KL(q(z|x) ‖ N(0, I)),
 * averaged over the batch. The parts are returned too, so training logs can show reconstruction and KL apart.
 *
 * @example
 *   const { total, reconstruction, kl } = vaeLoss(x, recon, mean, logVar, 0.5);
 */
import { tf } from '../../runtime';

type Tensor = ReturnType<typeof tf.tensor>;

export interface VaeLossParts {
  total: Tensor;
  reconstruction: Tensor;
  kl: Tensor;
}

/** Scalars; callers own the three tensors (they escape this tidy). */
export function vaeLoss(x: Tensor, reconstruction: Tensor, mean: Tensor, logVar: Tensor, beta: number): VaeLossParts {
  const [total, recon, kl] = tf.tidy(() => {
    const squaredError = tf.squaredDifference(x, reconstruction).reshape([x.shape[0]!, -1]);
    const reconPerWindow = tf.mul(0.5, tf.sum(squaredError, 1));
    const klPerWindow = tf.mul(-0.5, tf.sum(tf.sub(tf.add(1, logVar), tf.add(tf.square(mean), tf.exp(logVar))), 1));
    const reconMean = tf.mean(reconPerWindow);
    const klMean = tf.mean(klPerWindow);
    return [tf.add(reconMean, tf.mul(beta, klMean)), reconMean, klMean];
  });
  return { total: total!, reconstruction: recon!, kl: kl! };
}

/**
 * Differentiable SSIM in tfjs, defined exactly as scikit-image's `structural_similarity` with its defaults
 * (7×7 uniform window, K1 = 0.01, K2 = 0.03, sample covariance N/(N−1), mean over windows that lie fully inside
 * the image), so losses and the parity spec speak about the same number.
 *
 * @example
 *   const s = ssim(a, b);        // a, b: [N, H, W, 1] in 0..dataRange → [N]
 *   const map = ssimMap(a, b);   // [N, H−6, W−6, 1]
 */
import { tf } from '@vigil/ml';

export interface SsimOptions {
  dataRange?: number;
  windowSize?: number;
}

export function ssimMap(a: tf.Tensor4D, b: tf.Tensor4D, options: SsimOptions = {}): tf.Tensor4D {
  const range = options.dataRange ?? 1;
  const win = options.windowSize ?? 7;
  return tf.tidy(() => {
    const mean = (x: tf.Tensor4D) => tf.avgPool(x, win, 1, 'valid');
    const n = win * win;
    const covNorm = n / (n - 1);
    const ua = mean(a);
    const ub = mean(b);
    const vaa = tf.mul(covNorm, tf.sub(mean(tf.mul(a, a)), tf.mul(ua, ua)));
    const vbb = tf.mul(covNorm, tf.sub(mean(tf.mul(b, b)), tf.mul(ub, ub)));
    const vab = tf.mul(covNorm, tf.sub(mean(tf.mul(a, b)), tf.mul(ua, ub)));
    const c1 = (0.01 * range) ** 2;
    const c2 = (0.03 * range) ** 2;
    const numerator = tf.mul(tf.add(tf.mul(2, tf.mul(ua, ub)), c1), tf.add(tf.mul(2, vab), c2));
    const denominator = tf.mul(tf.add(tf.add(tf.square(ua), tf.square(ub)), c1), tf.add(tf.add(vaa, vbb), c2));
    return tf.div(numerator, denominator) as tf.Tensor4D;
  });
}

/** Mean SSIM per image, `[N]`. */
export function ssim(a: tf.Tensor4D, b: tf.Tensor4D, options: SsimOptions = {}): tf.Tensor1D {
  return tf.tidy(() => tf.mean(ssimMap(a, b, options), [1, 2, 3]) as tf.Tensor1D);
}

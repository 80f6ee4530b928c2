/**
 * Seeded weight initialisation. tfjs layers draw their initial kernels from an unseeded generator, so two fits with
 * the same training seed started from different weights and ended with different models (a calibration threshold
 * moved by a third between runs). Every layer with a kernel takes `seededKernel(seed, its name)` instead: the
 * same seed and architecture give the same initial weights, and layers differ from each other through their names.
 *
 * @example
 *   tf.layers.dense({ units: 64, name: 'encoder_hidden', kernelInitializer: seededKernel(seed, 'encoder_hidden') });
 */
import { tf } from '../runtime';

/** A 31-bit seed for one layer: FNV-1a of its name, mixed with the model seed. */
export function layerSeed(seed: number, layerName: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < layerName.length; i++) {
    h ^= layerName.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 2 ** 31;
}

/** Glorot-uniform (tfjs's default kernel initialiser), seeded per layer. */
export function seededKernel(seed: number, layerName: string): ReturnType<typeof tf.initializers.glorotUniform> {
  return tf.initializers.glorotUniform({ seed: layerSeed(seed, layerName) });
}

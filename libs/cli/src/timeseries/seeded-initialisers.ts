/**
 * Runs model construction and training with `Math.random` replaced by the project's seeded generator
 * (mulberry32 via `@vigil/ml`'s `seededRandom`), then puts the original back. tfjs's weight initialisers
 * (glorotUniform, orthogonal, …) take no seed from the layer config we use and draw their seeds from
 * `Math.random`, so without this two `train` runs with the same `--seed` start from different weights and give
 * different scores and thresholds (SKAB's FAR moved between 11.9 % and 12.0 % run to run). The shuffles and the
 * reparameterisation noise are already seeded by the trainer; this closes the last gap. Synchronous on
 * purpose: nothing else can draw from the replaced generator while it is installed.
 *
 * @example
 *   const fitted = withSeededMathRandom(options.seed, () => fitWindowVae({ ... }));
 */
import { seededRandom, withMathRandom } from '@vigil/ml';

/** Offsets the initialiser stream from the trainer's (which is seeded with the same user seed). */
const INITIALISER_STREAM = 0x5eed;

export function withSeededMathRandom<T>(seed: number, run: () => T): T {
  return withMathRandom(seededRandom((seed ^ INITIALISER_STREAM) >>> 0), run);
}

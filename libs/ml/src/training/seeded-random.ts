/**
 * A small seeded PRNG (mulberry32) so shuffles, searches and splits are reproducible from one integer seed.
 *
 * @example
 *   const random = seededRandom(42);
 *   shuffleInPlace(indices, random);
 */

import { mulberry32 } from '@vigil/features';

export type Random = () => number;

export function seededRandom(seed: number): Random {
  return mulberry32(seed);
}

/** Fisher–Yates shuffle. */
export function shuffleInPlace<T>(items: T[] | Uint32Array, random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}

/**
 * Runs `run` with `Math.random` replaced by `random`, then puts the original back. tfjs's weight initialisers
 * take no seed from the layer configs we use and draw their seeds from `Math.random`, so this is how a fit starts
 * from the same weights every time. Synchronous on purpose: nothing else can draw from the replaced generator
 * while it is installed.
 *
 * @example
 *   const fitted = withMathRandom(seededRandom(7), () => fitWindowVae({ ... }));
 */
export function withMathRandom<T>(random: Random, run: () => T): T {
  const original = Math.random;
  Math.random = random;
  try {
    const result = run();
    if (result instanceof Promise) throw new TypeError('withMathRandom needs a synchronous function: the seeded generator would leak into other work');
    return result;
  } finally {
    Math.random = original;
  }
}

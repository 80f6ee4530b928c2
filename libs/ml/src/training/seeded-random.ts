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

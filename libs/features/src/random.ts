/**
 * A seeded pseudo-random source, so augmentations and splits are reproducible run to run. mulberry32 (a small,
 * well-tested 32-bit generator; plenty for data augmentation, not for cryptography) with Box–Muller normals.
 *
 * @example
 *   const random = seededRandom(42);
 *   random.uniform();          // [0, 1)
 *   random.normal(1, 0.1);     // N(1, 0.1²)
 */

export interface Random {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Gaussian with the given mean and standard deviation. */
  normal(mean?: number, std?: number): number;
}

/** The bare mulberry32 stream, uniform on [0, 1): the one generator every library seeds its randomness with. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seededRandom(seed: number): Random {
  const uniform = mulberry32(seed);
  let spare: number | null = null;
  const normal = (mean = 0, std = 1) => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return mean + std * value;
    }
    const u = 1 - uniform(); // (0, 1]: log(0) never happens
    const v = uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    spare = radius * Math.sin(2 * Math.PI * v);
    return mean + std * radius * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

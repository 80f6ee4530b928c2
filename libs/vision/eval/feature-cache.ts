/**
 * The cached backbone features that `extract-features.ts` writes (float16 grids under ~/.cache/vigil/vision/features,
 * never in the repo), read back for the fast experiments (`feature-vae.eval.ts`, `knobs.eval.ts`).
 *
 * @example
 *   const train = readCached(dir, 'train');
 *   const first = imageFeatures(train, 0); // Float32Array of 376 · H · W
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BACKBONE_ID } from '../src/backbone/efficientnet-lite.constants';

/**
 * Where one cache of features lives. Keyed by BACKBONE_ID (backbone, weights and input scaling), so a cache written by
 * an earlier backbone or normalisation is never read as this one's.
 */
export function featureCacheDir(cacheDir: string, name: string): string {
  return path.join(cacheDir, 'vision', 'features', BACKBONE_ID, name);
}

export interface CachedFeatures {
  /** Per image: [channels, gridH, gridW]. */
  shape: [number, number, number];
  samples: { file: string; defectType: string; mask: string | null }[];
  data: Uint16Array;
}

export function readCached(featuresDir: string, part: string): CachedFeatures {
  const meta = JSON.parse(readFileSync(path.join(featuresDir, `${part}.json`), 'utf8')) as Omit<CachedFeatures, 'data'>;
  const bytes = readFileSync(path.join(featuresDir, `${part}.f16`));
  return { ...meta, data: new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2) };
}

/** Image `i`'s grid as float32 (into `out` at `offset` when given). */
export function imageFeatures(cached: CachedFeatures, i: number, out?: Float32Array, offset = 0): Float32Array {
  const per = cached.shape[0] * cached.shape[1] * cached.shape[2];
  const target = out ?? new Float32Array(per);
  const bits = cached.data.subarray(i * per, (i + 1) * per);
  for (let k = 0; k < per; k++) target[offset + k] = HALF[bits[k]!]!;
  return target;
}

export function fromFloat16(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = HALF[bits[i]!]!;
  return out;
}

/** All 65 536 half-precision values, decoded once: the caches hold ~10⁹ of them. */
const HALF = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    const value = exp === 0 ? mant * 2 ** -24 : exp === 31 ? Number.POSITIVE_INFINITY : (1 + mant / 1024) * 2 ** (exp - 15);
    table[h] = h & 0x8000 ? -value : value;
  }
  return table;
})();

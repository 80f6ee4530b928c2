/**
 * Seeded synthetic surface defects pasted onto good images, so that a model's knobs (smoothing, pooling, VAE or
 * Gaussian) can be chosen on a validation set built from train/good alone, never on the test split. Three kinds,
 * shaped like the defects of cast or sintered parts (MTD's crack, blowhole, break):
 * - `crack`: a thin curved line (quadratic Bézier, 1–2 px at 320², soft edges), a little darker or brighter than the surface;
 * - `blowhole`: a small dark elliptical pit, darkest at its centre;
 * - `break`: a chipped edge, an irregular bite out of one image border, filled with a dark background tone.
 * Works on channels-last images with values in [0, 1] (decode without normalisation, paste, then normalise);
 * every random draw comes from the seed, so the same seed gives the same defect, pixel for pixel. The contrasts are
 * faint on purpose (a crack keeps 55–80 % of the local grey): with strong ones every model scores ≈ 0.99 on the
 * validation set and it can no longer rank the knobs (the first version of this file; see the model card).
 *
 * @example
 *   const { image, mask } = pasteSyntheticDefect(good, 'crack', 42);
 */
import type { FloatImage } from '@vigil/datasets';
import { mulberry32 } from '@vigil/features';

export const SYNTHETIC_DEFECT_KINDS = ['crack', 'blowhole', 'break'] as const;
export type SyntheticDefectKind = (typeof SYNTHETIC_DEFECT_KINDS)[number];

export interface SyntheticDefect {
  image: FloatImage;
  /** 1 where the defect was pasted (coverage > 0.5), `height × width`. */
  mask: Uint8Array;
}

export function pasteSyntheticDefect(source: FloatImage, kind: SyntheticDefectKind, seed: number): SyntheticDefect {
  const random = mulberry32(seed);
  const between = (lo: number, hi: number) => lo + (hi - lo) * random();
  const { height, width } = source;
  // Coverage in [0, 1] per pixel and the tone the covered pixels move towards (a multiple of the local value).
  const coverage = new Float32Array(height * width);
  let factor: number;
  const scale = Math.min(height, width) / 320;
  if (kind === 'crack') {
    const half = between(0.5, 1) * scale;
    const length = between(0.2, 0.6) * Math.min(height, width);
    const [x0, y0] = [between(0.15, 0.85) * width, between(0.15, 0.85) * height];
    const angle = between(0, 2 * Math.PI);
    const [x2, y2] = [x0 + length * Math.cos(angle), y0 + length * Math.sin(angle)];
    const bend = between(-0.35, 0.35) * length;
    const [x1, y1] = [(x0 + x2) / 2 - bend * Math.sin(angle), (y0 + y2) / 2 + bend * Math.cos(angle)];
    const steps = Math.ceil(length * 2);
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      const x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * x1 + t * t * x2;
      const y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * y1 + t * t * y2;
      // Thinner towards the ends, like a real crack tip.
      stamp(coverage, height, width, x, y, half * (0.4 + 0.6 * Math.sin(Math.PI * t)));
    }
    factor = random() < 0.75 ? between(0.55, 0.8) : between(1.2, 1.45);
  } else if (kind === 'blowhole') {
    const rx = between(3, 8) * scale;
    const ry = rx * between(0.7, 1.3);
    const [cx, cy] = [between(0.1, 0.9) * width, between(0.1, 0.9) * height];
    for (let y = Math.max(0, Math.floor(cy - ry - 2)); y < Math.min(height, Math.ceil(cy + ry + 2)); y++)
      for (let x = Math.max(0, Math.floor(cx - rx - 2)); x < Math.min(width, Math.ceil(cx + rx + 2)); x++) {
        const r = Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry);
        coverage[y * width + x] = Math.max(coverage[y * width + x]!, clamp01((1.15 - r) / 0.3));
      }
    factor = between(0.4, 0.7);
  } else {
    // A bite out of one border: a half-ellipse with a ragged rim, centred on the edge.
    const side = Math.floor(random() * 4);
    const along = between(0.15, 0.85);
    const depth = between(0.04, 0.1) * Math.min(height, width);
    const spread = depth * between(1.2, 2.5);
    const ragged = Array.from({ length: 9 }, () => between(0.75, 1.25));
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const [u, v] =
          side === 0
            ? [x - along * width, y]
            : side === 1
              ? [x - along * width, height - 1 - y]
              : side === 2
                ? [y - along * height, x]
                : [y - along * height, width - 1 - x];
        if (v > depth * 1.4 || Math.abs(u) > spread * 1.4) continue;
        const rim = ragged[Math.min(8, Math.floor(((u / spread + 1.4) / 2.8) * 9))]!;
        const r = Math.hypot(u / spread, v / depth) / rim;
        coverage[y * width + x] = clamp01((1.05 - r) / 0.1);
      }
    factor = between(0.2, 0.5);
  }
  const { data, channels } = source;
  const out = new Float32Array(data.length);
  const mask = new Uint8Array(height * width);
  for (let p = 0; p < height * width; p++) {
    const c = coverage[p]!;
    if (c > 0.5) mask[p] = 1;
    for (let k = 0; k < channels; k++) {
      const v = data[p * channels + k]!;
      out[p * channels + k] = clamp01(v + c * (v * factor - v));
    }
  }
  return { image: { data: out, height, width, channels }, mask };
}

/** A soft disc of radius `r` (px) at (x, y): coverage 1 inside, fading over one pixel. */
function stamp(coverage: Float32Array, height: number, width: number, x: number, y: number, r: number): void {
  for (let py = Math.max(0, Math.floor(y - r - 1)); py < Math.min(height, Math.ceil(y + r + 1)); py++)
    for (let px = Math.max(0, Math.floor(x - r - 1)); px < Math.min(width, Math.ceil(x + r + 1)); px++) {
      const c = clamp01(r + 0.5 - Math.hypot(px + 0.5 - x, py + 0.5 - y));
      if (c > coverage[py * width + px]!) coverage[py * width + px] = c;
    }
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

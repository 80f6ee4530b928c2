/**
 * Extracts the backbone's 376-channel stride-8 features for every image of an MVTec-layout category once, and
 * caches them (float16, under ~/.cache/vigil/vision/features, never in the repo) so models can be fitted and compared in seconds. Train images also get
 * flipped variants (the augmentation lever for covariance estimates).
 *
 *   nice npx tsx libs/vision/eval/extract-features.ts [category-dir] [size] [out-dir] [no-flips]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { listMvtecCategory, resolveDataDir } from '@vigil/datasets';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { flipHorizontal, flipVertical } from '../src/augmentation/image-augmentation';
import { requireBackbone } from '../src/backbone/backbone-files';
import { FeatureBackbone } from '../src/backbone/feature-backbone';
import { decodeForBackbone, toChw } from '../src/features/backbone-input';
import type { FloatImage } from '@vigil/datasets';
import { featureCacheDir } from './feature-cache';

const root = process.argv[2] ?? path.join(resolveDataDir(), 'mtd', 'magnetic_tile');
const size = Number(process.argv[3] ?? 256);
const outDir = process.argv[4] ?? featureCacheDir(defaultCacheDir(), `${path.basename(root)}-${size}`);
const withFlips = process.argv[5] !== 'no-flips';
const BATCH = 8;

async function main(): Promise<void> {
  const category = listMvtecCategory(root);
  const backbone = await FeatureBackbone.load(requireBackbone(defaultCacheDir()), { threads: 2 });
  mkdirSync(outDir, { recursive: true });
  const allVariants: [string, (img: FloatImage) => FloatImage][] = [
    ['', (i) => i],
    ['hflip', flipHorizontal],
    ['vflip', flipVertical],
    ['hvflip', (i) => flipVertical(flipHorizontal(i))],
  ];
  const variants = withFlips ? allVariants : allVariants.slice(0, 1);
  const jobs = [
    ...variants.map(([name, transform]) => ({ file: `train${name ? `-${name}` : ''}`, samples: category.train, transform })),
    { file: 'test', samples: category.test, transform: (i: FloatImage) => i },
  ];
  for (const job of jobs) {
    const started = Date.now();
    let shape: number[] = [];
    const chunks: Uint16Array[] = [];
    for (let start = 0; start < job.samples.length; start += BATCH) {
      const batch = job.samples.slice(start, start + BATCH);
      const input = new Float32Array(batch.length * 3 * size * size);
      for (const [k, sample] of batch.entries()) toChw(job.transform(await decodeForBackbone(sample.imagePath, [size, size])), input, k * 3 * size * size);
      const features = await backbone.features(input, [batch.length, 3, size, size]);
      shape = features.shape.slice(1);
      chunks.push(toFloat16(features.data as Float32Array));
    }
    const all = new Uint16Array(chunks.reduce((a, c) => a + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
      all.set(chunk, offset);
      offset += chunk.length;
    }
    writeFileSync(path.join(outDir, `${job.file}.f16`), all);
    const index = job.samples.map((s) => ({
      file: path.relative(root, s.imagePath),
      defectType: s.defectType,
      mask: s.maskPath ? path.relative(root, s.maskPath) : null,
    }));
    writeFileSync(path.join(outDir, `${job.file}.json`), JSON.stringify({ shape, samples: index }));
    console.log(`${job.file}: ${job.samples.length} images in ${((Date.now() - started) / 1000).toFixed(1)} s, shape per image ${shape.join('×')}`);
  }
  await backbone.dispose();
}

/** IEEE half precision (round to nearest), so the cache of ~1,200 images stays under a gigabyte. */
function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  for (let i = 0; i < values.length; i++) {
    f32[0] = values[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    let exp = ((x >>> 23) & 0xff) - 127 + 15;
    let mant = x & 0x7fffff;
    if (exp <= 0) {
      out[i] = sign;
      continue;
    }
    if (exp >= 31) {
      out[i] = sign | 0x7bff;
      continue;
    }
    mant += 0x1000;
    if (mant & 0x800000) {
      mant = 0;
      exp += 1;
    }
    out[i] = sign | (exp << 10) | (mant >>> 13);
  }
  return out;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

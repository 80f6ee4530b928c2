/**
 * Knobs of the Gaussian head compared on cached backbone features, chosen on the synthetic validation set only
 * (held-out train/good: a clean half vs the other half with pasted crack, blowhole and break; validation-set.ts).
 * Per input size it fits the per-position statistics once on the fit split, then whitens them several ways (shared
 * 2×2 or per position, neighbourhood pooling, principal axes, ridge), scores each with its ONNX head and prints
 * validation ROC-AUC for several image scores (max after σ smoothing, mean of the top k cells) and for fusions of
 * input sizes. `--test` adds the test split's figures: run it only after the choice is made, to check whether the
 * validation set ranks the knobs in the same direction as the real defects (the model card reports both).
 *
 *   nice npx tsx libs/vision/eval/knobs.eval.ts [--sizes 256,320,384] [--fraction 0.16] [--dims 160,240] [--variants share:radius:dims:ridge,...] [--test] [--json out.json]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { GOOD, listMvtecCategory, resolveDataDir } from '@vigil/datasets';
import { OnnxInferenceSession, rocAuc } from '@vigil/ml';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { requireBackbone } from '../src/backbone/backbone-files';
import { FEATURE_CHANNELS } from '../src/backbone/efficientnet-lite.constants';
import { FeatureBackbone } from '../src/backbone/feature-backbone';
import { toChw } from '../src/features/backbone-input';
import { topKMean, smoothMap, upsampleBilinear } from '../src/maps/anomaly-map';
import { type PositionStatistics, PositionGaussianFit, whitenGaussian } from '../src/models/gaussian/gaussian-fit';
import { buildGaussianHead, HEAD_INPUT, HEAD_OUTPUT } from '../src/models/gaussian/gaussian-head.onnx-graph';
import { splitGood } from '../src/training/good-split';
import { rankAgreement } from '../src/validation/rank-agreement';
import { syntheticValidationSet } from '../src/validation/validation-set';
import { type CachedFeatures, featureCacheDir, imageFeatures, readCached } from './feature-cache';

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1]! : fallback);
const sizes = arg('sizes', '256,320,384').split(',').map(Number);
const fraction = Number(arg('fraction', '0.16'));
const dimsList = arg('dims', '160,240').split(',').map(Number);
const withTest = args.includes('--test');
const jsonOut = args.includes('--json') ? arg('json', '') : undefined;
const cacheDir = defaultCacheDir();
const dataRoot = path.join(resolveDataDir(), 'mtd', 'magnetic_tile');
const featuresDir = (size: number) => featureCacheDir(cacheDir, `magnetic_tile-${size}`);

interface Variant {
  name: string;
  share: number;
  radius: number;
  dims: number;
  ridge: number;
}
const defaultVariants: Variant[] = [
  ...dimsList.flatMap((dims) => [
    { name: `per position, ${dims} axes`, share: 1, radius: 0, dims, ridge: 0.01 },
    { name: `2×2 shared, ${dims} axes`, share: 2, radius: 0, dims, ridge: 0.01 },
  ]),
  { name: `per position + 3×3 neighbourhood, ${dimsList[0]} axes`, share: 1, radius: 1, dims: dimsList[0]!, ridge: 0.01 },
  { name: `2×2 shared, ${dimsList[0]} axes, ridge 0.1`, share: 2, radius: 0, dims: dimsList[0]!, ridge: 0.1 },
  { name: `2×2 shared, ${dimsList[0]} axes, ridge 0.001`, share: 2, radius: 0, dims: dimsList[0]!, ridge: 0.001 },
];
const variants: Variant[] = args.includes('--variants')
  ? arg('variants', '')
      .split(',')
      .map((spec) => {
        const [share, radius, dims, ridge] = spec.split(':').map(Number) as [number, number, number, number];
        return {
          name: `${share === 1 ? 'per position' : `${share}×${share} shared`}${radius ? ` + radius ${radius}` : ''}, ${dims} axes, ridge ${ridge}`,
          share,
          radius,
          dims,
          ridge,
        };
      })
  : defaultVariants;
const SCORES: { name: string; sigma: number; k: number }[] = [
  { name: 'max', sigma: 0, k: 1 },
  { name: 'max σ1', sigma: 1, k: 1 },
  { name: 'max σ2', sigma: 2, k: 1 },
  { name: 'top-3 mean', sigma: 0, k: 3 },
  { name: 'top-10 mean', sigma: 0, k: 10 },
  { name: 'top-30 mean', sigma: 0, k: 30 },
];

interface Split {
  labels: number[];
  /** Per image: the synthetic kind or the test defect type ('good' for negatives). */
  kinds: string[];
}

/** Validation features per size, decoded at that size (as the cached train/test features are), cached as float32. */
async function validationFeatures(size: number, heldOut: ReturnType<typeof splitGood>['calibration']): Promise<{ data: Float32Array; split: Split }> {
  const file = featureCacheDir(cacheDir, `magnetic_tile-validation-${fraction}-${size}`);
  if (existsSync(`${file}.f32`)) {
    const bytes = readFileSync(`${file}.f32`);
    return { data: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), split: JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Split };
  }
  const backbone = await FeatureBackbone.load(requireBackbone(cacheDir), { threads: 2 });
  const set = syntheticValidationSet(heldOut, [size, size]);
  const chunks: Float32Array[] = [];
  const labels: number[] = [];
  for await (const batch of set.batches()) {
    const input = new Float32Array(batch.images.length * 3 * size * size);
    batch.images.forEach((image, k) => toChw(image, input, k * 3 * size * size));
    chunks.push((await backbone.features(input, [batch.images.length, 3, size, size])).data as Float32Array);
    labels.push(...batch.labels);
  }
  await backbone.dispose();
  // Positives come host by host in SYNTHETIC_DEFECT_KINDS order (validation-set.ts).
  const kindsOrder = ['crack', 'blowhole', 'break'];
  let positive = 0;
  const kinds = labels.map((l) => (l === 0 ? GOOD : kindsOrder[positive++ % 3]!));
  const data = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) {
    data.set(c, offset);
    offset += c.length;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.f32`, data);
  writeFileSync(`${file}.json`, JSON.stringify({ labels, kinds }));
  return { data, split: { labels, kinds } };
}

/** The leading `d` principal axes of statistics fitted with more: axes are sorted by variance, so it is a slice. */
function sliceStatistics(stats: PositionStatistics, d: number): PositionStatistics {
  if (d === stats.dims) return stats;
  // Statistics over all 376 channels keep them as they are (identity, gaussian-fit.ts): their first d are channels, not axes.
  if (stats.dims === FEATURE_CHANNELS)
    throw new Error(`--dims ${FEATURE_CHANNELS} (every channel, no PCA) cannot be compared with ${d} axes in one run; run it alone`);
  const D = stats.dims;
  const positions = stats.height * stats.width;
  const projection = new Float32Array(FEATURE_CHANNELS * d);
  for (let c = 0; c < FEATURE_CHANNELS; c++) projection.set(stats.projection.subarray(c * D, c * D + d), c * d);
  const mean = new Float32Array(positions * d);
  const covariance = new Float32Array(positions * d * d);
  for (let p = 0; p < positions; p++) {
    mean.set(stats.mean.subarray(p * D, p * D + d), p * d);
    for (let i = 0; i < d; i++) covariance.set(stats.covariance.subarray((p * D + i) * D, (p * D + i) * D + d), (p * d + i) * d);
  }
  return { ...stats, projection, dims: d, mean, covariance };
}

async function runHead(
  head: Uint8Array,
  images: number,
  per: number,
  fill: (i: number, out: Float32Array, offset: number) => void,
  cells: number,
): Promise<Float32Array[]> {
  const session = await OnnxInferenceSession.create(head, { intraOpNumThreads: 2 });
  const maps: Float32Array[] = [];
  const [c, h, w] = [FEATURE_CHANNELS, Math.sqrt(per / FEATURE_CHANNELS), Math.sqrt(per / FEATURE_CHANNELS)];
  for (let start = 0; start < images; start += 16) {
    const n = Math.min(16, images - start);
    const x = new Float32Array(n * per);
    for (let k = 0; k < n; k++) fill(start + k, x, k * per);
    const distance = (await session.run({ [HEAD_INPUT]: { data: x, shape: [n, c, h, w] } }, [HEAD_OUTPUT]))[HEAD_OUTPUT]!.data as Float32Array;
    for (let k = 0; k < n; k++) maps.push(distance.slice(k * cells, (k + 1) * cells));
  }
  await session.dispose();
  return maps;
}

function imageScores(maps: readonly Float32Array[], grid: number, score: (typeof SCORES)[number]): number[] {
  return maps.map((m) => topKMean(smoothMap(m, grid, grid, score.sigma), score.k));
}

/** ROC-AUC over all positives and per kind (each kind against all negatives). */
function aucs(scores: readonly number[], split: Split): Record<string, number> {
  const out: Record<string, number> = { all: rocAuc([...scores], split.labels) };
  for (const kind of [...new Set(split.kinds)].filter((k) => k !== GOOD).sort()) {
    const picked = split.kinds.flatMap((k, i) => (k === kind || k === GOOD ? [i] : []));
    out[kind] = rocAuc(
      picked.map((i) => scores[i]!),
      picked.map((i) => split.labels[i]!),
    );
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  const category = listMvtecCategory(dataRoot);
  const { fit, calibration } = splitGood(category.train, fraction);
  console.log(
    `fit ${fit.length} train/good, held out ${calibration.length}; sizes ${sizes.join(', ')}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const testSplit: Split = {
    labels: category.test.map((s) => (s.defectType === GOOD ? 0 : 1)),
    kinds: category.test.map((s) => s.defectType),
  };
  // maps[size][variant] = { validation, test? }
  const maps = new Map<number, { validation: Float32Array[]; test?: Float32Array[] }[]>();
  let validationSplit: Split | undefined;
  for (const size of sizes) {
    const grid = size / 8;
    const cells = grid * grid;
    const per = FEATURE_CHANNELS * cells;
    const validation = await validationFeatures(size, calibration);
    validationSplit = validation.split;
    const train = readCached(featuresDir(size), 'train');
    const index = new Map(train.samples.map((s, i) => [s.file, i]));
    const fitIndex = fit.map((s) => index.get(path.relative(dataRoot, s.imagePath))!);
    if (fitIndex.some((i) => i === undefined)) throw new Error(`${featuresDir(size)} does not list every train image`);
    const gaussianFit = new PositionGaussianFit(grid, grid);
    for (let start = 0; start < fitIndex.length; start += 16) {
      const batch = fitIndex.slice(start, start + 16);
      const x = new Float32Array(batch.length * per);
      batch.forEach((i, k) => imageFeatures(train, i, x, k * per));
      gaussianFit.add(x, batch.length);
    }
    const full = gaussianFit.statistics(Math.max(...variants.map((v) => v.dims)));
    console.log(`${size}px: statistics of ${fitIndex.length} images at ${grid}×${grid} (${elapsed()})`);
    const test: CachedFeatures | undefined = withTest ? readCached(featuresDir(size), 'test') : undefined;
    const perVariant = [];
    for (const variant of variants) {
      const gaussian = whitenGaussian(sliceStatistics(full, variant.dims), variant.ridge, { share: variant.share, radius: variant.radius });
      const head = buildGaussianHead(gaussian, grid, grid);
      const validationMaps = await runHead(
        head,
        validation.split.labels.length,
        per,
        (i, out, offset) => out.set(validation.data.subarray(i * per, (i + 1) * per), offset),
        cells,
      );
      const testMaps = test ? await runHead(head, test.samples.length, per, (i, out, offset) => imageFeatures(test, i, out, offset), cells) : undefined;
      perVariant.push({ validation: validationMaps, ...(testMaps ? { test: testMaps } : {}) });
      console.log(`${size}px ${variant.name}: scored (${elapsed()})`);
    }
    maps.set(size, perVariant);
  }
  const rows: { sizes: number[]; variant: string; score: string; validation: Record<string, number>; test?: Record<string, number> }[] = [];
  const fusions = [...sizes.map((s) => [s]), ...subsets(sizes).filter((s) => s.length > 1)];
  for (const [v, variant] of variants.entries()) {
    for (const fusion of fusions) {
      const grid = fusion[0]! / 8;
      const fused = (part: 'validation' | 'test') => {
        const own = fusion.map((size) => maps.get(size)![v]![part]!);
        // Each size's map over its mean on the clean validation images, resampled to the first size's grid.
        const normalisers = fusion.map((size) => {
          const clean = maps.get(size)![v]!.validation.filter((_, i) => validationSplit!.labels[i] === 0);
          return clean.reduce((a, m) => a + m.reduce((x, y) => x + y, 0), 0) / (clean.length * clean[0]!.length);
        });
        return own[0]!.map((_, i) => {
          const out = new Float32Array(grid * grid);
          fusion.forEach((size, f) => {
            const g = size / 8;
            const m = g === grid ? own[f]![i]! : upsampleBilinear(own[f]![i]!, g, g, grid, grid);
            for (let c = 0; c < out.length; c++) out[c]! += m[c]! / normalisers[f]! / fusion.length;
          });
          return out;
        });
      };
      const validationMaps = fused('validation');
      const testMaps = withTest ? fused('test') : undefined;
      for (const score of SCORES) {
        rows.push({
          sizes: fusion,
          variant: variant.name,
          score: score.name,
          validation: aucs(imageScores(validationMaps, grid, score), validationSplit!),
          ...(testMaps ? { test: aucs(imageScores(testMaps, grid, score), testSplit) } : {}),
        });
      }
    }
  }
  const fmt = (r: Record<string, number> | undefined, keys: string[]) => keys.map((k) => (r?.[k] ?? NaN).toFixed(3).padStart(8)).join('');
  const vKeys = ['all', 'crack', 'blowhole', 'break'];
  const tKeys = ['all', 'crack', 'blowhole', 'break'];
  console.log(
    `\nvalidation: ${validationSplit!.labels.filter((l) => l === 0).length} clean vs ${validationSplit!.labels.filter((l) => l === 1).length} synthetic; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${'sizes'.padEnd(12)}${'variant'.padEnd(44)}${'score'.padEnd(13)}${vKeys.map((k) => `v:${k}`.padStart(8)).join('')}${withTest ? tKeys.map((k) => `t:${k}`.padStart(8)).join('') : ''}`,
  );
  for (const row of [...rows].sort((a, b) => b.validation.all! - a.validation.all!))
    console.log(
      `${row.sizes.join('+').padEnd(12)}${row.variant.padEnd(44)}${row.score.padEnd(13)}${fmt(row.validation, vKeys)}${withTest ? fmt(row.test, tKeys) : ''}`,
    );
  if (withTest) {
    const { spearman, agreeing, pairs } = rankAgreement(rows.map((r) => [r.validation.all!, r.test!.all!]));
    console.log(
      `validation vs test over ${rows.length} settings: Spearman rank correlation ${spearman.toFixed(2)}; of ${pairs} pairs that differ by ≥ 0.002 on both, ${((100 * agreeing) / pairs).toFixed(0)} % are ordered alike`,
    );
  }
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ fraction, sizes, rows }, null, 1)}\n`);
}

function subsets<T>(items: readonly T[]): T[][] {
  return items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]).filter((s) => s.length > 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

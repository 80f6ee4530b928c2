/**
 * Image scoring speed and memory on this machine: decode (sharp) → backbone (ONNX Runtime, once per input size) →
 * heads (Gaussian, with the feature VAE folded in; ONNX Runtime) → fused, smoothed map, at batch 8 (images/s) and one image at a time (p50/p95 latency), with the
 * backbone's share, the model's resident memory and the load average (figures on a busy machine are not final).
 *
 *   nice npx tsx libs/vision/bench/vision-scoring.bench.ts <model-dir> [images-dir] [threads]
 */
import { readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { listImages, resolveDataDir } from '@vigil/datasets';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { VISION_SESSION_OPTIONS } from '../src/backbone/feature-backbone';
import { decodeForModel } from '../src/evaluation/mvtec-evaluation';
import { channelsInWords, GaussianVisionModel } from '../src/models/gaussian/gaussian-model';

const modelDir = process.argv[2];
const imagesDir = process.argv[3] ?? path.join(resolveDataDir(), 'mtd', 'magnetic_tile', 'test', 'good');
const threads = Number(process.argv[4] ?? 2);

async function main(): Promise<void> {
  if (!modelDir) throw new Error('usage: vision-scoring.bench.ts <model-dir> [images-dir] [threads]');
  const files = listImages(imagesDir).slice(0, 96);
  // libvips' operation cache (sharp's default 50 MB) would count as the model's memory; a live scorer never decodes
  // the same frame twice, so it is off here. Garbage is collected before each reading: memory held, not garbage.
  sharp.cache(false);
  const rss = () => {
    global.gc?.();
    return process.memoryUsage().rss;
  };
  const rssBefore = rss();
  const model = await GaussianVisionModel.load(modelDir, defaultCacheDir(), { threads });
  const rssModel = rss() - rssBefore;
  const timings = { decode: 0, backbone: 0, head: 0 };
  const scoreBatch = async (batch: string[]) => {
    let t = performance.now();
    const images = await Promise.all(batch.map((f) => decodeForModel(model, f)));
    timings.decode += performance.now() - t;
    t = performance.now();
    const features = await model.features(images);
    timings.backbone += performance.now() - t;
    t = performance.now();
    await model.scoreFeatures(features);
    timings.head += performance.now() - t;
  };
  // Live use first (one frame at a time), so the resident memory after it is what a live scorer holds.
  await scoreBatch(files.slice(0, 1)); // warm-up
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  const single: number[] = [];
  const singleShares = { decode: 0, backbone: 0, head: 0 };
  Object.assign(timings, singleShares);
  for (const file of files.slice(0, 48)) {
    const t = performance.now();
    await scoreBatch([file]);
    single.push(performance.now() - t);
  }
  Object.assign(singleShares, timings);
  const rssLive = rss() - rssBefore;
  single.sort((a, b) => a - b);
  const pct = (q: number) => single[Math.min(single.length - 1, Math.floor(q * single.length))]!;

  await scoreBatch(files.slice(0, 8)); // warm-up at batch 8
  Object.assign(timings, { decode: 0, backbone: 0, head: 0 });
  const started = performance.now();
  for (let i = 0; i + 8 <= files.length; i += 8) await scoreBatch(files.slice(i, i + 8));
  const batchSeconds = (performance.now() - started) / 1000;
  const total = timings.decode + timings.backbone + timings.head;
  const batchShares = { ...timings };
  const singleTotal = singleShares.decode + singleShares.backbone + singleShares.head;
  const { inputSize, mapSize, settings } = model.manifest;
  const rssAfter = rss() - rssBefore;
  const headBytes = readdirSync(modelDir)
    .filter((f) => f.endsWith('.onnx'))
    .reduce((sum, f) => sum + statSync(path.join(modelDir, f)).size, 0);
  console.log(
    `vision scoring (${model.manifest.kind}; backbone and heads in onnxruntime-node, CPU arena ${VISION_SESSION_OPTIONS.enableCpuMemArena === false ? 'off' : 'on'}), ${threads} threads, sizes ${model.scales.map((s) => s.size).join('+')} px (decoded at ${inputSize.join('×')}), map ${mapSize.join('×')}, Gaussian over ${channelsInWords(Number(settings.dims))}, covariance shared over ${String(settings.share ?? 1)}×${String(settings.share ?? 1)} cells, float32 heads ${mb(headBytes)} MB`,
  );
  console.log(
    `load average at start ${load} (1/5/15 min); now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `batch 8: ${((Math.floor(files.length / 8) * 8) / batchSeconds).toFixed(1)} images/s; shares decode ${pct0(batchShares.decode, total)}, backbone ${pct0(batchShares.backbone, total)}, heads+map ${pct0(batchShares.head, total)}`,
  );
  console.log(
    `single image: p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms over ${single.length} images; backbone ${pct0(singleShares.backbone, singleTotal)}`,
  );
  console.log(
    `model resident memory (RSS − RSS before load): ${mb(rssModel)} MB after load, ${mb(rssLive)} MB after single-image (live) scoring, ${mb(rssAfter)} MB after batch 8 (after GC, ${global.gc ? 'exposed' : 'NOT exposed: run with --expose-gc'}; libvips cache off; ONNX Runtime arenas included)`,
  );
  await model.dispose();
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(0);
}

function pct0(part: number, total: number): string {
  return `${((100 * part) / total).toFixed(0)} %`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

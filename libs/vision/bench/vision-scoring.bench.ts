/**
 * Image scoring speed and memory on this machine: decode (sharp) → backbone (ONNX Runtime) → Gaussian head →
 * smoothed map, at batch 8 (images/s) and one image at a time (p50/p95 latency), with the backbone's share and the
 * model's resident memory.
 *
 *   nice npx tsx libs/vision/bench/vision-scoring.bench.ts <model-dir> [images-dir] [threads]
 */
import * as path from 'node:path';
import { listImages, resolveDataDir } from '@vigil/datasets';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { decodeForModel } from '../src/evaluation/mvtec-evaluation';
import { GaussianVisionModel } from '../src/models/gaussian/gaussian-model';

const modelDir = process.argv[2];
const imagesDir = process.argv[3] ?? path.join(resolveDataDir(), 'mtd', 'magnetic_tile', 'test', 'good');
const threads = Number(process.argv[4] ?? 2);

async function main(): Promise<void> {
  if (!modelDir) throw new Error('usage: vision-scoring.bench.ts <model-dir> [images-dir] [threads]');
  const files = listImages(imagesDir).slice(0, 96);
  const rssBefore = process.memoryUsage().rss;
  const model = await GaussianVisionModel.load(modelDir, defaultCacheDir(), threads);
  const rssModel = process.memoryUsage().rss - rssBefore;
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
  await scoreBatch(files.slice(0, 8)); // warm-up
  Object.assign(timings, { decode: 0, backbone: 0, head: 0 });

  const started = performance.now();
  for (let i = 0; i + 8 <= files.length; i += 8) await scoreBatch(files.slice(i, i + 8));
  const batchSeconds = (performance.now() - started) / 1000;
  const total = timings.decode + timings.backbone + timings.head;
  const batchShares = { ...timings };

  const single: number[] = [];
  for (const file of files.slice(0, 48)) {
    const t = performance.now();
    await scoreBatch([file]);
    single.push(performance.now() - t);
  }
  single.sort((a, b) => a - b);
  const pct = (q: number) => single[Math.min(single.length - 1, Math.floor(q * single.length))]!;
  const { inputSize, mapSize, settings } = model.manifest;
  console.log(
    `vision scoring, onnxruntime-node, ${threads} threads, input ${inputSize.join('×')}, grid ${mapSize.join('×')}, Gaussian channels ${settings.dims}, float32`,
  );
  console.log(
    `batch 8: ${((Math.floor(files.length / 8) * 8) / batchSeconds).toFixed(1)} images/s; shares decode ${pct0(batchShares.decode, total)}, backbone ${pct0(batchShares.backbone, total)}, head+map ${pct0(batchShares.head, total)}`,
  );
  console.log(`single image: p50 ${pct(0.5).toFixed(1)} ms, p95 ${pct(0.95).toFixed(1)} ms over ${single.length} images`);
  console.log(
    `model resident memory (RSS after load − before): ${(rssModel / 2 ** 20).toFixed(0)} MB; process RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`,
  );
  await model.dispose();
}

function pct0(part: number, total: number): string {
  return `${((100 * part) / total).toFixed(0)} %`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

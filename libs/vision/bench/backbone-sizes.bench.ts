/**
 * The backbone's single-image and batch-8 time at several input sizes, interleaved round by round so that a busy
 * machine slows every size alike: what the input-size candidates cost relative to each other (ONNX Runtime, CPU).
 *
 *   nice npx tsx libs/vision/bench/backbone-sizes.bench.ts [sizes=320,352,384] [rounds=30] [threads=2]
 */
import { loadavg } from 'node:os';
import { seededRandom } from '@vigil/features';
import { defaultCacheDir } from '../scripts/provision-backbone';
import { requireBackbone } from '../src/backbone/backbone-files';
import { FeatureBackbone } from '../src/backbone/feature-backbone';

const sizes = (process.argv[2] ?? '320,352,384').split(',').map(Number);
const rounds = Number(process.argv[3] ?? 30);
const threads = Number(process.argv[4] ?? 2);

async function main(): Promise<void> {
  const backbone = await FeatureBackbone.load(requireBackbone(defaultCacheDir()), { threads });
  const random = seededRandom(1);
  const inputs = new Map(sizes.map((s) => [s, Float32Array.from({ length: 8 * 3 * s * s }, () => random.normal(0, 1))]));
  const single = new Map(sizes.map((s) => [s, [] as number[]]));
  const batch = new Map(sizes.map((s) => [s, [] as number[]]));
  for (const s of sizes) await backbone.features(inputs.get(s)!.subarray(0, 3 * s * s), [1, 3, s, s]); // warm-up
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  for (let r = 0; r < rounds; r++)
    for (const s of sizes) {
      let t = performance.now();
      await backbone.features(inputs.get(s)!.subarray(0, 3 * s * s), [1, 3, s, s]);
      single.get(s)!.push(performance.now() - t);
      if (r % 5 === 0) {
        t = performance.now();
        await backbone.features(inputs.get(s)!, [8, 3, s, s]);
        batch.get(s)!.push(performance.now() - t);
      }
    }
  await backbone.dispose();
  const q = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;
  console.log(
    `backbone only, ${threads} threads, ${rounds} rounds interleaved; load average at start ${load}, now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  for (const s of sizes)
    console.log(
      `${s} px: single p50 ${q(single.get(s)!, 0.5).toFixed(1)} ms, p95 ${q(single.get(s)!, 0.95).toFixed(1)} ms; batch 8 median ${q(batch.get(s)!, 0.5).toFixed(0)} ms (${((8 * 1000) / q(batch.get(s)!, 0.5)).toFixed(1)} images/s)`,
    );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

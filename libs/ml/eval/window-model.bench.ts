/**
 * Detector-path throughput of the committed window models: `score` and `encode` on micro-batches of 64 windows
 * (one tf.tidy, one dataSync per output), as the detector calls them. Target: a 64-window micro-batch of the
 * C-MAPSS models scores in under 50 ms on one core with tfjs-node, i.e. > 1 000 windows/s per model.
 *
 *   npx tsx libs/ml/eval/window-model.bench.ts [--batch 64] [--rounds 50]
 */
import * as path from 'node:path';
import { loadWindowModel, mlBackend } from '../src';
import { parseFlags } from './eval-support';

const MODELS = ['cmapss-fd001-cnn/v1', 'cmapss-fd001-transformer/v1', 'cwru-bearing-audio-vae/v1'];
const TARGET_MS = 50;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const batch = Number(flags.get('batch') ?? 64);
  const rounds = Number(flags.get('rounds') ?? 50);
  console.log(`backend ${mlBackend.backend}, micro-batch ${batch}, ${rounds} rounds`);
  for (const name of MODELS) {
    const { model, manifest } = await loadWindowModel(path.join(__dirname, '..', '..', '..', 'models', name));
    const data = new Float32Array(batch * model.steps * model.channels).map(
      (_, i) => manifest.scaler.mean[i % model.channels]! + Math.sin(i) * manifest.scaler.std[i % model.channels]!,
    );
    const x = { data, batch, steps: model.steps, channels: model.channels };
    for (let i = 0; i < 5; i++) model.score(x);
    const time = (f: () => void) => {
      const started = performance.now();
      for (let i = 0; i < rounds; i++) f();
      return (performance.now() - started) / rounds;
    };
    const scoreMs = time(() => model.score(x));
    const encodeMs = time(() => model.encode(x));
    console.log(
      `${name}: score ${scoreMs.toFixed(2)} ms/batch (${Math.round((batch / scoreMs) * 1000)} windows/s), encode ${encodeMs.toFixed(2)} ms/batch` +
        (name.startsWith('cmapss') ? ` — target < ${TARGET_MS} ms: ${scoreMs < TARGET_MS ? 'met' : 'MISSED'}` : ''),
    );
    model.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

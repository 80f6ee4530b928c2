/**
 * What the detector needs to serve models/thermal-conv-vae live, written into the model folder reproducibly:
 * - `onnx/encoder.onnx`, `onnx/decoder.onnx`: the ONNX export of its tfjs layers (what runs live on ONNX Runtime);
 * - `calibration-scores.json`: scores of held-out fault-free frames, the sample each device's SPOT threshold
 *   starts from. The frames come from the image simulator (in-process, read-only) at the live cadence (one every
 *   5 s) for a fleet the model never saw (scenario seed 12; it trained on seed 11), scored by the ONNX model.
 *
 *   npm run export:thermal-live            # or: nice npx tsx libs/vision/eval/thermal-live.export.ts [model-dir]
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CALIBRATION_SCORES_FILE } from '@vigil/ml';
import { buildFleet, parseScenario } from '@vigil/simulators';
import { OnnxConvVaeVisionModel, writeConvVaeOnnx } from '../src/live/conv-vae-onnx';

const dir = path.resolve(process.argv[2] ?? path.resolve(__dirname, '../../../models/thermal-conv-vae'));
const SIZE = 64;
const PERIOD_S = 5;
const DEVICES = 6;
const FRAMES_PER_DEVICE = 200;
const SEED = 12;
const CALIBRATION_HOURS = [3, 9, 15, 21];

async function main(): Promise<void> {
  const files = await writeConvVaeOnnx(dir);
  console.log(`ONNX export: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}`);

  const startMs = Date.UTC(2026, 0, 1);
  const scenario = parseScenario(`
name: thermal-calibration
seed: ${SEED}
durationS: 86400
fleet:
  - name: pumps
    count: ${DEVICES}
    image: { source: synthetic, periodS: ${PERIOD_S}, width: ${SIZE}, height: ${SIZE} }
faults:
  scheduled: []
`);
  const fleet = buildFleet(scenario, { startMs, replay: undefined });
  const model = await OnnxConvVaeVisionModel.load(dir, { from: 'files' });
  const scores: number[] = [];
  for (const device of fleet.devices) {
    const source = device.sources.image!;
    // A quarter of the frames from each of four times of day (other hours than the model trained on).
    const perHour = FRAMES_PER_DEVICE / CALIBRATION_HOURS.length;
    const images = Array.from({ length: FRAMES_PER_DEVICE }, (_, k) => {
      const at = startMs + CALIBRATION_HOURS[Math.floor(k / perHour)]! * 3_600_000 + (k % perHour) * PERIOD_S * 1000;
      const frame = source.sample(k, at);
      return { data: Float32Array.from(frame.data.subarray(0, SIZE * SIZE), (v) => v / 255), height: SIZE, width: SIZE, channels: 1 };
    });
    for (const s of await model.score(images)) scores.push(Number(s.score.toPrecision(7)));
  }
  await model.dispose();
  const sorted = [...scores].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  writeFileSync(
    path.join(dir, CALIBRATION_SCORES_FILE),
    `${JSON.stringify({
      source: `image simulator, scenario seed ${SEED} (the model trained on seed 11), ${DEVICES} fault-free pumps × ${FRAMES_PER_DEVICE} frames every ${PERIOD_S} s (a quarter from each of ${CALIBRATION_HOURS.map((h) => `${h}:00`).join(', ')} UTC), ${SIZE}×${SIZE} grey; scored on ONNX Runtime (libs/vision/eval/thermal-live.export.ts)`,
      scores,
    })}\n`,
  );
  console.log(
    `${scores.length} calibration scores: median ${q(0.5).toFixed(5)}, p99 ${q(0.99).toFixed(5)}, max ${sorted.at(-1)!.toFixed(5)} → ${CALIBRATION_SCORES_FILE}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

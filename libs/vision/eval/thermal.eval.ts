/**
 * The small "thermal" model for live synthetic frames: the image simulator (in-process, read-only) renders 64×64
 * thermal frames of a pump fleet; a conv VAE (SSIM + MSE + β·KL) trains on fault-free frames, its threshold is
 * calibrated on held-out fault-free frames, and it is evaluated on frames of devices with bearing hot spots and
 * overheating (frame ROC-AUC). Writes the model to models/thermal-conv-vae.
 *
 *   nice npx tsx libs/vision/eval/thermal.eval.ts [out-dir] [epochs] [frames per pump, default 60]
 */
import * as path from 'node:path';
import { rocAuc } from '@vigil/ml';
import { buildFleet, parseScenario, severityAt, type SimDevice } from '@vigil/simulators';
import { calibrateThreshold } from '../src/evaluation/threshold';
import { trainConvVaeModel } from '../src/models/conv-vae/conv-vae.model';

const outDir = process.argv[2] ?? path.resolve(__dirname, '../../../models/thermal-conv-vae');
const epochs = Number(process.argv[3] ?? 15);
const SIZE = 64;
const PERIOD_S = 5;
const HOUR_MS = 3_600_000;
const TRAIN_HOURS = [0, 6, 12, 18];

const scenario = (faults: string) => `
name: thermal-training
seed: 11
durationS: 86400
fleet:
  - name: pumps
    count: 6
    image: { source: synthetic, periodS: ${PERIOD_S}, width: ${SIZE}, height: ${SIZE} }
faults:
  scheduled: ${faults}
`;

function frames(device: SimDevice, startMs: number, count: number, everyS = PERIOD_S): { data: Float32Array; times: number[] } {
  const source = device.sources.image!;
  const data = new Float32Array(count * SIZE * SIZE);
  const times: number[] = [];
  for (let k = 0; k < count; k++) {
    const t = startMs + k * everyS * 1000;
    const frame = source.sample(k, t);
    for (let i = 0; i < SIZE * SIZE; i++) data[k * SIZE * SIZE + i] = frame.data[i]! / 255;
    times.push(t);
  }
  return { data, times };
}

async function main(): Promise<void> {
  const startMs = Date.UTC(2026, 0, 1);
  const healthy = buildFleet(parseScenario(scenario('[]')), { startMs, replay: undefined });
  const perDevice = Number(process.argv[4] ?? 60);
  // A quarter of each pump's frames from each of four times of day: the hall's daily ±3 °C swing shifts every
  // pixel, and a model that saw midnight only calls a warm afternoon's frames anomalous.
  const perHour = perDevice / TRAIN_HOURS.length;
  const train = new Float32Array(5 * perDevice * SIZE * SIZE);
  healthy.devices
    .slice(0, 5)
    .forEach((d, k) =>
      TRAIN_HOURS.forEach((hour, h) => train.set(frames(d, startMs + hour * HOUR_MS, perHour, 30).data, (k * perDevice + h * perHour) * SIZE * SIZE)),
    );
  const model0 = trainConvVaeModel(train, 5 * perDevice, {
    size: SIZE,
    epochs,
    data: `simulators/src/image synthetic thermal, seed 11, 5 pumps × ${perDevice} fault-free frames (${perHour} from each of ${TRAIN_HOURS.map((h) => `${h}:00`).join(', ')} UTC)`,
    log: console.log,
  });
  const image = (data: Float32Array, k: number) => ({ data: data.subarray(k * SIZE * SIZE, (k + 1) * SIZE * SIZE), height: SIZE, width: SIZE, channels: 1 });
  const scoreAll = async (data: Float32Array, count: number) =>
    (await model0.score(Array.from({ length: count }, (_, k) => image(data, k)))).map((r) => r.score);

  const heldOutParts = TRAIN_HOURS.map((hour) => frames(healthy.devices[5]!, startMs + (hour + 3) * HOUR_MS, 15, 30).data);
  const heldOut = { data: new Float32Array(60 * SIZE * SIZE) };
  heldOutParts.forEach((part, h) => heldOut.data.set(part, h * 15 * SIZE * SIZE));
  const { threshold, rule } = calibrateThreshold(await scoreAll(heldOut.data, 60));
  const model = model0.withThreshold(threshold, rule, 60);

  const faulty = buildFleet(
    parseScenario(
      scenario(`
    - { device: dev-0001, type: bearing_wear, startS: 300, rampS: 600, endS: 1800, severity: 1 }
    - { device: dev-0002, type: overheating, startS: 600, rampS: 300, endS: 1500, severity: 0.8 }`),
    ),
    { startMs, replay: undefined },
  );
  const scores: number[] = [];
  const labels: number[] = [];
  for (const device of faulty.devices.slice(0, 3)) {
    const { data, times } = frames(device, startMs, 60, 30);
    const deviceScores = await scoreAll(data, 60);
    const faults = faulty.faults.filter((f) => f.deviceId === device.deviceId);
    times.forEach((t, k) => {
      // Frames in the first 30 % of a ramp barely differ from healthy ones: left out rather than counted either way.
      const severity = Math.max(0, ...faults.map((f) => severityAt(f, t)));
      if (severity > 0 && severity < 0.3) return;
      scores.push(deviceScores[k]!);
      labels.push(severity > 0 ? 1 : 0);
    });
  }
  const auc = rocAuc(scores, labels);
  const flagged = scores.filter((s, k) => labels[k] === 1 && s > threshold).length / labels.filter((l) => l === 1).length;
  const falseAlarms = scores.filter((s, k) => labels[k] === 0 && s > threshold).length / labels.filter((l) => l === 0).length;
  console.log(
    `thermal conv VAE: frame ROC-AUC ${auc.toFixed(3)} (severity ≥ 0.3 vs healthy, 3 devices × 60 frames); at threshold ${threshold.toFixed(4)}: ${(100 * flagged).toFixed(0)} % of fault frames flagged, ${(100 * falseAlarms).toFixed(1)} % false alarms`,
  );
  await model.save(outDir);
  console.log(`written to ${outDir} (${model.manifest.version})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * Trains the sensor VAE the live pipeline serves for the synthetic pump fleet, from the simulator's own
 * normal behaviour (no faults), and saves it as the next version in `models/sensor/pump-synthetic/`, with
 * the held-out normal scores that warm up the detector's per-device SPOT thresholds.
 *
 *   npx tsx services/detector/scripts/train-sensor-model.ts [--minutes 10] [--devices 6] [--epochs 15] [--hours 0,6,12,18] [--registry models/sensor]
 *
 * Deterministic for the seeds below. Windows are 30 readings (3 s at 10 Hz) × the 7 synthetic channels,
 * the same frames the detector cuts with its default 3 s window. The fleet runs once per starting hour (UTC):
 * temperatures follow the hall's daily swing (±3 °C), and a model that saw one time of day only calls the
 * others' temperature levels unusual, which widens its normal score tail and so its SPOT threshold.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { SensorReading } from '@vigil/contracts';
import { CALIBRATION_SCORES_FILE, fitWindowVae, ModelRegistry, scoreWindows, trainingSummary, type WindowBatch } from '@vigil/ml';
import { planRun, validateScenario } from '@vigil/simulators';

const STEPS = 30;
const STRIDE = 5;

const DAY_START_MS = Date.UTC(2026, 0, 1);
const HOUR_MS = 3_600_000;

function normalFleet(seed: number, devices: number, minutes: number) {
  return validateScenario({
    name: `normal-${seed}`,
    seed,
    durationS: minutes * 60,
    fleet: [{ name: 'pumps', count: devices, sensor: { source: 'synthetic', rateHz: 10 } }],
    timing: { latencyMs: 0, jitterMs: 0 },
  });
}

/** Readings of each device (one run per starting hour) in event-time order → sliding windows [n][STEPS][channels]. */
function windowsOf(
  seed: number,
  devices: number,
  minutes: number,
  hours: readonly number[],
  channelNames?: string[],
): { batch: WindowBatch; channelNames: string[] } {
  const byDevice = new Map<string, SensorReading[]>();
  for (const hour of hours) {
    const plan = planRun(normalFleet(seed, devices, minutes), { startMs: DAY_START_MS + hour * HOUR_MS, streams: new Set(['sensor']) });
    for (const batch of plan.batches()) {
      for (const send of batch) {
        if (send.stream !== 'sensor') continue;
        const key = `${send.key}@${hour}`;
        const list = byDevice.get(key) ?? [];
        list.push(send.value);
        byDevice.set(key, list);
      }
    }
  }
  const names = channelNames ?? Object.keys([...byDevice.values()][0]![0]!.values).sort();
  const rows: number[] = [];
  let n = 0;
  for (const readings of byDevice.values()) {
    readings.sort((a, b) => a.eventTimeMs - b.eventTimeMs);
    for (let start = 0; start + STEPS <= readings.length; start += STRIDE) {
      for (let s = 0; s < STEPS; s++) for (const c of names) rows.push(readings[start + s]!.values[c]!);
      n++;
    }
  }
  return { batch: { data: Float32Array.from(rows), batch: n, steps: STEPS, channels: names.length }, channelNames: names };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '10' },
      devices: { type: 'string', default: '6' },
      epochs: { type: 'string', default: '15' },
      hours: { type: 'string', default: '0,6,12,18' },
      /** Registry folder the model is saved into (as its next version of pump-synthetic). */
      registry: { type: 'string', default: resolve(__dirname, '..', '..', '..', 'models', 'sensor') },
    },
  });
  const minutes = Number(values.minutes);
  const devices = Number(values.devices);
  const hours = values.hours.split(',').map(Number);
  const t0 = Date.now();
  const train = windowsOf(11, devices, minutes, hours);
  // Held out: another seed (other devices, other load sequences) at other hours of the day.
  const heldOut = windowsOf(
    23,
    devices,
    Math.max(5, minutes / 2),
    hours.map((h) => (h + 3) % 24),
    train.channelNames,
  );
  console.log(`training windows ${train.batch.batch}, held-out ${heldOut.batch.batch}, channels ${train.channelNames.join(',')}`);
  const fitted = fitWindowVae({
    windows: train.batch,
    channelNames: train.channelNames,
    model: { encoder: 'cnn', latentDim: 8 },
    training: { epochs: Number(values.epochs), batchSize: 64, seed: 5, earlyStopping: { patience: 3, minDelta: 1e-4 } },
  });
  const scores = scoreWindows(fitted.model, heldOut.batch);
  const registry = new ModelRegistry(resolve(values.registry));
  const { dir, manifest } = await registry.save(fitted.model, {
    kind: 'timeseries-vae',
    name: 'pump-synthetic',
    data: {
      fingerprint: 'simulator:seed-11',
      source: `simulators synthetic pumps, seed 11, ${devices} devices × ${minutes} min from each of ${hours.map((h) => `${h}:00`).join(', ')} UTC, no faults`,
      windows: train.batch.batch,
      steps: STEPS,
      stride: STRIDE,
    },
    hyperParameters: { ...fitted.trainingOptions, onEpochEnd: undefined },
    training: trainingSummary(fitted.result),
    metrics: { heldOutMeanScore: scores.reduce((a, b) => a + b, 0) / scores.length },
  });
  await writeFile(
    join(dir, CALIBRATION_SCORES_FILE),
    `${JSON.stringify({ source: `held-out normal windows, seed 23, from ${hours.map((h) => `${(h + 3) % 24}:00`).join(', ')} UTC`, scores: Array.from(scores, (s) => Number(s.toPrecision(6))) })}\n`,
  );
  console.log(`saved ${manifest.name}@${manifest.version} to ${dir} in ${((Date.now() - t0) / 1000).toFixed(0)} s; best epoch ${fitted.result.bestEpoch}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Trains the multimodal VAE the live detector can serve for the synthetic pump fleet (PoE fusion + cross-modal
 * attention over sensor, sound and thermal image), evaluates it on the held-out test fleet and writes it with
 * its model card and held-out normal scores (to warm up per-device SPOT thresholds):
 *
 *   nice npx tsx libs/ml/eval/multimodal.train.ts [--epochs 10] [--minutes 6] [--out models/multimodal-pump/v1]
 *
 * Deterministic for the seeds in multimodal-support.ts (same data, same initial weights, same batches).
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { saveMultimodalModel } from '../src';
import { parseFlags } from './eval-support';
import { AUDIO_RATE, CHANNELS, HOP_MS, IMAGE_PERIOD_S, IMAGE_SIDE, SENSOR_HZ, WINDOW_MS } from './multimodal-data';
import { ablationTable, modelRows, sensorHealthTable } from './multimodal-report';
import {
  CALIBRATION_HOURS_UTC,
  fitSeeded,
  normalWindowsAcrossDay,
  TEST_SEED,
  testWindows,
  TRAIN_DEVICES,
  TRAIN_HOURS_UTC,
  TRAIN_SEED,
  trainingWindows,
} from './multimodal-support';
import { renderMultimodalCard } from './multimodal-card';

/** Held-out normal fleet whose scores warm up the detector's thresholds. */
const CALIBRATION_SEED = 31;

const hoursText = (hours: readonly number[]) => hours.map((h) => `${h}:00`).join(', ');

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const epochs = Number(flags.get('epochs') ?? 10);
  const minutes = Number(flags.get('minutes') ?? 6);
  const out = path.resolve(flags.get('out') ?? path.join(__dirname, '..', '..', '..', 'models', 'multimodal-pump', 'v1'));
  const t0 = Date.now();
  const train = trainingWindows(TRAIN_DEVICES, minutes);
  const test = testWindows();
  const fitted = fitSeeded(train, { fusion: 'poe', crossAttention: true }, epochs, true);
  const trainSeconds = (Date.now() - t0) / 1000;
  const rows = modelRows('PoE + attention', fitted.model, test);
  // Two pumps × 3 min from each of the calibration hours (not the training ones): ~4 × 178 windows.
  const calibration = normalWindowsAcrossDay(CALIBRATION_SEED, 2, 12, CALIBRATION_HOURS_UTC).map((w) => w.inputs);
  const heldOutScores = fitted.model.score(calibration).map((r) => Number(r.score.toPrecision(6)));
  const calibrationSource = `${heldOutScores.length} held-out normal windows, seeds ${CALIBRATION_SEED}–${CALIBRATION_SEED + CALIBRATION_HOURS_UTC.length - 1}, 2 pumps × 3 min at each of ${hoursText(CALIBRATION_HOURS_UTC)} UTC`;
  const metrics = Object.fromEntries(rows.map((r) => [r.name, Number(r.auc.toFixed(4))]));
  const data = {
    source: `simulators synthetic pumps, seeds ${TRAIN_SEED}–${TRAIN_SEED + TRAIN_HOURS_UTC.length - 1}, ${TRAIN_DEVICES} devices × ${minutes} min (a quarter from each of ${hoursText(TRAIN_HOURS_UTC)} UTC), no faults`,
    windowMs: WINDOW_MS,
    hopMs: HOP_MS,
    trainWindows: fitted.trainWindows,
    validationWindows: fitted.validationWindows,
    test: `simulators test fleet, seed ${TEST_SEED}, ${test.length} windows`,
  };
  // What the detector needs to turn a window's events into the model's inputs.
  const features = {
    sensor: { channels: CHANNELS, rateHz: SENSOR_HZ, frame: 'sensorFrame (linear interpolation onto the steps)' },
    audio: { sampleRate: AUDIO_RATE, features: 'audioLogMelFrames over the window samples' },
    image: {
      source: `RAW_U8 ${IMAGE_SIDE}×${IMAGE_SIDE}`,
      features: 'downsampleImage (block average)',
      periodMs: IMAGE_PERIOD_S * 1000,
      overdueAfterMs: IMAGE_PERIOD_S * 1000 + HOP_MS,
    },
  };
  await saveMultimodalModel(fitted.model, out, {
    features,
    data,
    training: { epochs, bestEpoch: fitted.bestEpoch, history: fitted.history, seconds: Math.round(trainSeconds) },
    metrics,
  });
  await writeFile(path.join(out, 'calibration-scores.json'), `${JSON.stringify({ source: calibrationSource, scores: heldOutScores })}\n`);
  const normalHealth = normalWindowsAcrossDay(TRAIN_SEED, TRAIN_DEVICES, minutes, TRAIN_HOURS_UTC).map((w) => w.health);
  const card = renderMultimodalCard({
    model: fitted.model,
    data,
    epochs,
    bestEpoch: fitted.bestEpoch,
    trainSeconds,
    command: `nice npx tsx libs/ml/eval/multimodal.train.ts --epochs ${epochs} --minutes ${minutes}`,
    calibration: calibrationSource,
    ablation: ablationTable(rows),
    sensorHealth: sensorHealthTable(test, normalHealth),
  });
  await writeFile(path.join(out, 'MODEL_CARD.md'), card);
  console.log(
    `\n${ablationTable(rows)}\n\nsaved ${fitted.model.version} to ${out} (${fitted.model.vae.countParams()} parameters) in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  fitted.model.dispose();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

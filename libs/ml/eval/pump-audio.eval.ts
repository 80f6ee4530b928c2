/**
 * The audio-only scorer for the synthetic pump fleet: the audio VAE over a 3 s window's log-mel context windows
 * (audioClipScoringModel), the detector's fallback for sound when no fused model is served
 * (DETECTOR_AUDIO_MODEL_DIR). Trained on the simulator's normal pumps (sound only), calibrated on a held-out normal
 * fleet (3 s windows at the detector's 1 s hop), evaluated on the multimodal test fleet (every fault type, demo and
 * weaker severities): window ROC-AUC per fault type against its healthy windows, and the share flagged over the
 * calibration's 99th percentile.
 *
 *   nice npx tsx libs/ml/eval/pump-audio.eval.ts [--epochs 30] [--minutes 4] [--save true]
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { mulberry32 } from '@vigil/features';
import { type Fault, pcm16ToFloat, planRun, type Scenario } from '@vigil/simulators';
import {
  audioClipScoringModel,
  audioVaeModelOptions,
  CALIBRATION_SCORES_FILE,
  concatWindows,
  dataFingerprint,
  detectionMetrics,
  fitWindowVae,
  type LogMelFeatureOptions,
  logMelContexts,
  melBandNames,
  mlBackend,
  percentile,
  percentileCalibration,
  splitTail,
  withMathRandom,
} from '../src';
import { logEpoch, parseFlags, registryRoot, round4, saveWithCard, scoreClips } from './eval-support';
import { AUDIO_RATE, faultIn, HOP_MS, normalScenario, testScenario, WINDOW_MS } from './multimodal-data';
import { TRAIN_SEED } from './multimodal-support';

/** 16 kHz, nFft 1024, hop 512, 64 mels, 5-frame contexts, a context every 2 frames (the synthetic sound is stationary). */
const FEATURES: LogMelFeatureOptions = { sampleRate: AUDIO_RATE, nFft: 1024, hop: 512, nMels: 64, frames: 5, frameHop: 2 };
const CALIBRATION_SEED = 31;
const CLIP = Math.round((WINDOW_MS / 1000) * AUDIO_RATE);

/** Each device's sound as one signal from the scenario's start (chunks placed at their event times). */
function deviceSound(scenario: Scenario): { sound: Map<string, Float32Array>; faults: readonly Fault[]; startMs: number } {
  const plan = planRun(scenario, { startMs: Date.UTC(2026, 0, 1), streams: new Set(['audio']) });
  const total = Math.round((plan.fleet.durationMs / 1000) * AUDIO_RATE);
  const sound = new Map<string, Float32Array>();
  for (const batch of plan.batches()) {
    for (const send of batch) {
      if (send.stream !== 'audio') continue;
      const samples = pcm16ToFloat(send.value.pcm);
      const signal = sound.get(send.key) ?? sound.set(send.key, new Float32Array(total)).get(send.key)!;
      const offset = Math.round(((send.value.eventTimeMs - plan.fleet.startMs) / 1000) * AUDIO_RATE);
      signal.set(samples.subarray(0, Math.max(0, Math.min(samples.length, total - offset))), offset);
    }
  }
  return { sound, faults: plan.fleet.faults, startMs: plan.fleet.startMs };
}

/** The detector's windows (3 s, 1 s hop) of every device, as clip inputs, with their ground truth. */
function windowsOf(scenario: Scenario) {
  const { sound, faults, startMs } = deviceSound(scenario);
  const out: { deviceId: string; input: Float32Array; fault: string | undefined; severity: number }[] = [];
  for (const [deviceId, signal] of sound) {
    for (let from = 0; from + CLIP <= signal.length; from += (HOP_MS / 1000) * AUDIO_RATE) {
      const t = startMs + (from / AUDIO_RATE) * 1000;
      const { fault, severity } = faultIn(faults, deviceId, t, t + WINDOW_MS);
      out.push({ deviceId, input: logMelContexts(signal.subarray(from, from + CLIP), FEATURES).data, fault, severity });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const epochs = Number(flags.get('epochs') ?? 30);
  const minutes = Number(flags.get('minutes') ?? 4);
  const seed = 7;
  console.log(`backend ${mlBackend.backend}`);
  const devices = 4;
  const { sound } = deviceSound(normalScenario(TRAIN_SEED, devices, minutes));
  const all = concatWindows([...sound.values()].map((signal) => ({ ...logMelContexts(signal, FEATURES) })));
  const { train, validation } = splitTail(all, 0.1);
  // tfjs's initialisers draw from Math.random: seeded, the same command gives the same model.
  const fitted = withMathRandom(mulberry32(seed), () =>
    fitWindowVae({
      windows: train,
      validation,
      channelNames: melBandNames(FEATURES.nMels),
      model: audioVaeModelOptions({ hiddenUnits: 64, latentDim: 8 }),
      training: { epochs, seed, batchSize: 128, learningRate: 1e-3, earlyStopping: { patience: 4, minDelta: 1e-2 }, onEpochEnd: logEpoch('[pump audio]') },
    }),
  );
  const model = audioClipScoringModel(fitted.model, FEATURES, CLIP);
  const score = (inputs: readonly Float32Array[]) => scoreClips(model, inputs);

  const calibration = score(windowsOf(normalScenario(CALIBRATION_SEED, 2, 3)).map((w) => w.input));
  const threshold = percentile(calibration, 0.99);
  console.log(`calibration: ${calibration.length} held-out normal windows, p99 ${threshold.toFixed(4)}`);
  const test = windowsOf(testScenario());
  const testScores = score(test.map((w) => w.input));
  const healthy = testScores.filter((_, i) => !test[i]!.fault);
  const rows: { subset: string; values: Record<string, number> }[] = [];
  for (const type of [...new Set(test.map((w) => w.fault).filter((f) => f !== undefined))].sort()) {
    const faulty = testScores.filter((_, i) => test[i]!.fault === type && test[i]!.severity > 0);
    const m = detectionMetrics([...healthy, ...faulty], [...Array.from(healthy, () => 0), ...Array.from(faulty, () => 1)]);
    rows.push({
      subset: type!,
      values: { 'ROC-AUC': round4(m.rocAuc), 'flagged over p99': round4(faulty.filter((s) => s > threshold).length / faulty.length), windows: faulty.length },
    });
  }
  rows.push({
    subset: 'healthy windows',
    values: { 'flagged over p99': round4(healthy.filter((s) => s > threshold).length / healthy.length), windows: healthy.length },
  });
  console.table(rows.map((r) => ({ subset: r.subset, ...r.values })));

  if (flags.get('save') === 'true') {
    const { dir } = await saveWithCard(registryRoot(flags), fitted, {
      kind: 'audio-vae',
      name: 'pump-synthetic-audio-vae',
      data: {
        fingerprint: dataFingerprint([train.data], { steps: train.steps, channels: train.channels }),
        source: `simulators synthetic pumps, seed ${TRAIN_SEED}, ${devices} devices × ${minutes} min of sound, no faults`,
        windows: train.batch,
        steps: train.steps,
        stride: FEATURES.frameHop,
      },
      calibration: percentileCalibration(calibration, 0.99),
      metrics: Object.fromEntries(rows.filter((r) => r.values['ROC-AUC'] !== undefined).map((r) => [`rocAuc_${r.subset}`, r.values['ROC-AUC']!])),
      extra: { features: FEATURES, clipSeconds: WINDOW_MS / 1000 },
      card: {
        title: 'Synthetic pump audio VAE (the detector’s sound fallback without the fused model)',
        reproduce: `nice npx tsx libs/ml/eval/pump-audio.eval.ts --epochs ${epochs} --minutes ${minutes} --save true`,
        protocol: `3 s windows at a 1 s hop, score = mean of the window's 5-frame log-mel context scores. Calibration: a held-out normal fleet (seed ${CALIBRATION_SEED}), p99 ${threshold.toPrecision(4)}. Test: the multimodal test fleet (seed 23), each fault type's windows with severity > 0 against the healthy windows.`,
        results: rows,
        limitations: [
          'Synthetic sound only: the simulator’s pumps, not a real machine.',
          'A fault that does not change the sound (sensor_stuck, overheating) is not this model’s to find.',
        ],
      },
    });
    await writeFile(
      path.join(dir, CALIBRATION_SCORES_FILE),
      `${JSON.stringify({ source: `held-out normal fleet, seed ${CALIBRATION_SEED}, 3 s windows at a 1 s hop`, scores: Array.from(calibration, (s) => Number(s.toPrecision(6))) })}\n`,
    );
    console.log(`saved ${dir}`);
  }
  fitted.model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * The audio VAE a detector serves live for one MIMII machine type (the replay scenario's engines carry MIMII pump
 * sound): trained on the first part of every normal clip of that type, so it knows each machine's own normal sound
 * (as a model commissioned on the plant's machines would), calibrated and evaluated on the clips' held-out rest.
 * Scores are those of the detector's unit — a window of `--window-s` seconds, the mean of its log-mel context
 * windows (audioClipScoringModel) — so the calibration file is what the detector's per-device SPOT starts from.
 *
 * Evaluation on the held-out part: each machine's abnormal recording cross-faded into its normal one at severity s
 * (the replay source's fault expression: (1 − s)·normal + s·abnormal), share of windows over the calibration's
 * 99th percentile, and ROC-AUC of s = 1 against normal windows. The abnormal clips are never trained on.
 *
 *   npx tsx libs/ml/eval/mimii-live.eval.ts --machine pump --epochs 30 --seed 7 [--save true] [--registry models]
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { listMimiiClips, loadMimiiClip, type MimiiClip } from '@vigil/datasets';
import { mulberry32 } from '@vigil/features';
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
  type AudioClipScoringModel,
  withMathRandom,
} from '../src';
import { logEpoch, parseFlags, registryRoot, round4, saveWithCard, scoreClips } from './eval-support';

/** The DCASE 2020 Task 2 baseline's features (16 kHz, nFft 1024, hop 512, 128 mels, 5-frame contexts). */
const FEATURES: LogMelFeatureOptions = { sampleRate: 16000, nFft: 1024, hop: 512, nMels: 128, frames: 5, frameHop: 1 };
const SEVERITIES = [0.1, 0.2, 0.3, 0.5, 0.75, 1];

interface Recording {
  clip: MimiiClip;
  samples: Float32Array;
}

async function load(clips: readonly MimiiClip[]): Promise<Recording[]> {
  return Promise.all(
    clips.map(async (clip) => {
      const { samples, sampleRate } = await loadMimiiClip(clip);
      if (sampleRate !== FEATURES.sampleRate) throw new Error(`${clip.relativePath}: ${sampleRate} Hz, expected ${FEATURES.sampleRate}`);
      return { clip, samples };
    }),
  );
}

/** Every `stepSamples` a clip of the model's length out of `samples`, scored as the detector scores a window. */
function windowScores(model: AudioClipScoringModel, samples: Float32Array, stepSamples: number): Float32Array {
  const clips: Float32Array[] = [];
  for (let start = 0; start + model.clipSamples <= samples.length; start += stepSamples) {
    clips.push(logMelContexts(samples.subarray(start, start + model.clipSamples), model.features).data);
  }
  return scoreClips(model, clips);
}

function crossFade(normal: Float32Array, abnormal: Float32Array, severity: number): Float32Array {
  return Float32Array.from(normal, (x, i) => (1 - severity) * x + severity * abnormal[i % abnormal.length]!);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const machine = flags.get('machine') ?? 'pump';
  const epochs = Number(flags.get('epochs') ?? 30);
  const seed = Number(flags.get('seed') ?? 7);
  const trainFraction = Number(flags.get('train-fraction') ?? 0.6);
  const windowS = Number(flags.get('window-s') ?? 3);
  const latentDim = Number(flags.get('latent') ?? 8);
  const hiddenUnits = Number(flags.get('hidden') ?? 64);
  console.log(`backend ${mlBackend.backend}`);

  const clips = await listMimiiClips({ machine, layouts: ['mono'] });
  const normals = await load(clips.filter((c) => c.label === 'normal'));
  const abnormals = await load(clips.filter((c) => c.label === 'abnormal'));
  if (normals.length === 0) throw new Error(`no normal ${machine} clips`);
  const cut = (r: Recording) => Math.round(r.samples.length * trainFraction);
  const trainParts = normals.map((r) => r.samples.subarray(0, cut(r)));
  const heldOut = normals.map((r) => ({ clip: r.clip, samples: r.samples.subarray(cut(r)) }));

  const all = concatWindows(trainParts.map((s) => ({ ...logMelContexts(s, FEATURES) })));
  const { train, validation } = splitTail(all, 0.1);
  // tfjs's initialisers draw from Math.random: seeded here (as multimodal-support.ts and the CLI do), so the same
  // command gives the same model.
  const fitted = withMathRandom(mulberry32(seed), () =>
    fitWindowVae({
      windows: train,
      validation,
      channelNames: melBandNames(FEATURES.nMels),
      model: audioVaeModelOptions({ hiddenUnits, latentDim }),
      training: { epochs, seed, batchSize: 128, learningRate: 1e-3, earlyStopping: { patience: 5, minDelta: 1e-2 }, onEpochEnd: logEpoch(`[${machine}]`) },
    }),
  );
  const clipModel = audioClipScoringModel(fitted.model, FEATURES, Math.round(windowS * FEATURES.sampleRate));

  // Calibration: the held-out normal parts, a window at every 10 ms offset. Neighbours overlap almost wholly, so
  // this is no more data than the held-out seconds; it is the detector's windows at every phase a device can
  // have, and enough scores for SPOT's tail (its 98 % level) to hold more than a couple of peaks.
  const calibrationStepMs = Number(flags.get('calibration-step-ms') ?? 10);
  const calibration = Float32Array.from(
    heldOut.flatMap((r) => Array.from(windowScores(clipModel, r.samples, Math.round((FEATURES.sampleRate * calibrationStepMs) / 1000)))),
  );
  const threshold = percentile(calibration, 0.99);
  console.log(`calibration: ${calibration.length} held-out normal windows of ${windowS} s, p99 ${threshold.toFixed(4)}`);

  // Evaluation: per machine id, its abnormal clip cross-faded into its held-out normal part.
  const rows: Record<string, unknown>[] = [];
  const normalScores: number[] = [];
  const faultScores: number[] = [];
  for (const normal of heldOut) {
    const abnormal = abnormals.find((a) => a.clip.machineId === normal.clip.machineId);
    if (!abnormal) continue;
    const own = windowScores(clipModel, normal.samples, FEATURES.sampleRate / 4);
    normalScores.push(...own);
    const row: Record<string, unknown> = { id: normal.clip.machineId, 'normal flagged': round4(own.filter((s) => s > threshold).length / own.length) };
    if (flags.get('verbose') === 'true') Object.assign(row, { 'normal median': round4(percentile(own, 0.5)), 'normal max': round4(Math.max(...own)) });
    for (const severity of SEVERITIES) {
      const scores = windowScores(clipModel, crossFade(normal.samples, abnormal.samples.subarray(cut(abnormal)), severity), FEATURES.sampleRate / 4);
      if (severity === 1) faultScores.push(...scores);
      row[`flagged at s=${severity}`] = round4(scores.filter((s) => s > threshold).length / scores.length);
      if (flags.get('verbose') === 'true') row[`median s=${severity}`] = round4(percentile(scores, 0.5));
    }
    rows.push(row);
  }
  console.table(rows);
  const metrics = detectionMetrics([...normalScores, ...faultScores], [...normalScores.map(() => 0), ...faultScores.map(() => 1)]);
  console.log(`window ROC-AUC, held-out normal vs abnormal (s = 1): ${round4(metrics.rocAuc)} (${metrics.negatives} / ${metrics.positives} windows)`);

  if (flags.get('save') === 'true') {
    const reproduce = `npx tsx libs/ml/eval/mimii-live.eval.ts --machine ${machine} --epochs ${epochs} --seed ${seed} --train-fraction ${trainFraction} --window-s ${windowS} --latent ${latentDim} --hidden ${hiddenUnits} --save true`;
    const { dir } = await saveWithCard(registryRoot(flags), fitted, {
      kind: 'audio-vae',
      name: `mimii-${machine}-audio-vae`,
      data: {
        fingerprint: dataFingerprint([train.data], { steps: train.steps, channels: train.channels }),
        source: `MIMII sample, first ${Math.round(100 * trainFraction)} % of each of the ${normals.length} normal ${machine} clips (${normals.map((r) => r.clip.machineId).join(', ')})`,
        windows: train.batch,
        steps: train.steps,
        stride: 1,
      },
      calibration: percentileCalibration(calibration, 0.99),
      metrics: { windowRocAuc: metrics.rocAuc },
      extra: { features: FEATURES, clipSeconds: windowS, trainClips: normals.map((r) => r.clip.relativePath) },
      card: {
        title: `MIMII ${machine} audio VAE, served live (mean over a ${windowS} s window's log-mel contexts)`,
        reproduce,
        protocol: `Share of windows over the calibration's 99th percentile (${threshold.toPrecision(4)}); window-level (${windowS} s, mean of its 5-frame log-mel context scores), a window every 250 ms. Normal = the last ${Math.round(100 * (1 - trainFraction))} % of each normal clip (never trained on); anomalous = the same machine's abnormal clip cross-faded in at severity s, as the replay scenario does.`,
        results: rows.map((r) => ({
          subset: String(r.id),
          values: Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'id')) as Record<string, number>,
        })),
        limitations: [
          `The model has heard every ${machine} machine's normal sound (first part of its one clip): it detects a change from a known machine's normal, not an unseen machine's faults.`,
          `Held-out normal is ${Math.round(10 * (1 - trainFraction))} s per machine; the abnormal clips are one per machine. Figures are indicative.`,
        ],
      },
    });
    await writeFile(
      path.join(dir, CALIBRATION_SCORES_FILE),
      `${JSON.stringify({ source: `held-out last ${Math.round(100 * (1 - trainFraction))} % of the normal clips, ${windowS} s windows every ${calibrationStepMs} ms`, scores: Array.from(calibration, (s) => Number(s.toPrecision(6))) })}\n`,
    );
    console.log(`saved ${dir} (+ ${calibration.length} calibration scores)`);
  }
  fitted.model.dispose();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

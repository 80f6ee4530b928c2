/**
 * MIMII sample: the audio VAE on DCASE 2020 Task 2 baseline features (16 kHz, 128 log-mels, 5-frame windows),
 * one model per machine type, trained on normal clips only. Normal clips are split by recording (`groupKey`:
 * the same MIMII clip at two SNRs stays on one side) into train and test halves; test = held-out normals + every
 * abnormal clip. Clip score = mean window score (as the DCASE baseline). Reports clip-level ROC-AUC with its n next
 * to the DCASE 2020 autoencoder baselines. At n ≈ 2–4 normal vs 5–6 abnormal clips the figures are indicative.
 *
 *   npm run eval:mimii
 *   npx tsx libs/ml/eval/mimii.eval.ts --machines fan,pump --epochs 20 --save true --registry /tmp/reg
 */
import { listMimiiClips, loadMimiiClip, logMelWindows, type MimiiClip, splitByGroup } from '@vigil/datasets';
import {
  audioVaeModelOptions,
  concatWindows,
  dataFingerprint,
  detectionMetrics,
  fitWindowVae,
  melBandNames,
  mlBackend,
  percentileCalibration,
  scoreWindows,
  splitTail,
  type WindowBatch,
} from '../src';
import { logEpoch, parseFlags, registryRoot, round4, saveWithCard } from './eval-support';

/** DCASE 2020 Task 2 autoencoder baseline, development set, average AUC per machine type (Koizumi et al. 2020). */
const DCASE2020_BASELINE_AUC: Record<string, number> = { fan: 0.652, pump: 0.726, slider: 0.85, valve: 0.665 };

async function clipWindows(clip: MimiiClip): Promise<WindowBatch> {
  const { samples, sampleRate } = await loadMimiiClip(clip);
  return logMelWindows(samples, sampleRate);
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const machines = (flags.get('machines') ?? 'fan,pump,slider,valve').split(',');
  const epochs = Number(flags.get('epochs') ?? 25);
  const seed = Number(flags.get('seed') ?? 7);
  console.log(`backend ${mlBackend.backend}`);
  const results: Record<string, unknown>[] = [];
  for (const machine of machines) {
    const clips = await listMimiiClips({ machine, layouts: ['mono'] });
    const normals = clips.filter((c) => c.label === 'normal');
    const abnormals = clips.filter((c) => c.label === 'abnormal');
    const split = splitByGroup(normals, (c) => c.groupKey, { validationFraction: 0.5, seed });
    const trainGroups = new Set(split.train.map((c) => c.groupKey));
    if (split.validation.some((c) => trainGroups.has(c.groupKey))) throw new Error('a recording straddles the split');
    const all = concatWindows(await Promise.all(split.train.map(clipWindows)));
    const { train, validation } = splitTail(all, 0.1);
    const fitted = fitWindowVae({
      windows: train,
      validation,
      channelNames: melBandNames(all.channels),
      model: audioVaeModelOptions({ hiddenUnits: 64, latentDim: 8 }),
      training: { epochs, seed, batchSize: 128, learningRate: 1e-3, earlyStopping: { patience: 5, minDelta: 1e-2 }, onEpochEnd: logEpoch(`[${machine}]`) },
    });
    const test = [...split.validation, ...abnormals];
    const clipScores = await Promise.all(test.map(async (c) => mean(scoreWindows(fitted.model, await clipWindows(c)))));
    const metrics = detectionMetrics(
      clipScores,
      test.map((c) => (c.label === 'abnormal' ? 1 : 0)),
    );
    const row = {
      machine,
      rocAuc: round4(metrics.rocAuc),
      prAuc: round4(metrics.prAuc),
      n: `${metrics.negatives} normal / ${metrics.positives} abnormal clips`,
      trainClips: split.train.length,
      dcase2020BaselineAuc: DCASE2020_BASELINE_AUC[machine] ?? null,
      epochs: fitted.result.history.length,
    };
    console.log(JSON.stringify(row));
    results.push(row);
    if (flags.get('save') === 'true') {
      const { dir } = await saveWithCard(registryRoot(flags), fitted, {
        kind: 'audio-vae',
        name: `mimii-${machine}-audio-vae`,
        data: {
          fingerprint: dataFingerprint([train.data], { steps: train.steps, channels: train.channels }),
          source: `MIMII sample, ${split.train.length} normal ${machine} clips`,
          windows: train.batch,
          steps: train.steps,
          stride: 1,
        },
        calibration: percentileCalibration(scoreWindows(fitted.model, validation), 0.99),
        metrics: { clipRocAuc: metrics.rocAuc, clipPrAuc: metrics.prAuc },
        extra: {
          features: { sampleRate: 16000, nFft: 1024, hop: 512, nMels: 128, frames: 5, frameHop: 1 },
          trainClips: split.train.map((c) => c.relativePath),
        },
        card: {
          title: `MIMII ${machine} audio VAE (indicative)`,
          reproduce: `npx tsx libs/ml/eval/mimii.eval.ts --machines ${machine} --epochs ${epochs} --seed ${seed} --save true`,
          protocol: 'Clip-level (mean window score), normal clips split by recording, abnormal clips all in test.',
          results: [
            {
              subset: machine,
              values: {
                'ROC-AUC': metrics.rocAuc,
                'PR-AUC (AP)': metrics.prAuc,
                normal: metrics.negatives,
                abnormal: metrics.positives,
                'DCASE 2020 baseline AUC': DCASE2020_BASELINE_AUC[machine] ?? 'n/a',
              },
            },
          ],
          limitations: ['Trained on 2–4 normal clips; test n is tiny, so the AUC is indicative, not a benchmark result.'],
        },
      });
      console.log(`saved ${dir}`);
    }
    fitted.model.dispose();
  }
  console.table(results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

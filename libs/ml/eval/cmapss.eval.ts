/**
 * C-MAPSS FD001 evaluation of the time-series VAE, both encoders, under the protocol of
 * libs/datasets/docs/cmapss-protocol.md: train on normal windows (RUL > 125) of 80 % of the training engines,
 * stop early on the normal windows of the other 20 %, calibrate the threshold there, and report window-level
 * ROC-AUC, PR-AUC (average precision) and best F1 on NASA's test engines (anomalous: RUL ≤ 30).
 * Saves each model with its model card under models/ (or --registry).
 *
 *   npm run eval:cmapss                          # both encoders
 *   npx tsx libs/ml/eval/cmapss.eval.ts --encoder transformer --epochs 20 --registry /tmp/reg
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CmapssWindows, DEFAULT_RUL_PROTOCOL, FD001_INFORMATIVE_SENSORS, labelByRul } from '@vigil/datasets';
import { dataFingerprint, detectionMetrics, type EncoderKind, fitWindowVae, mlBackend, percentileCalibration, scoreWindows } from '../src';
import { fd001Windows, writeCmapssCalibration } from './cmapss-split';
import { logEpoch, parseFlags, registryRoot, round4, saveWithCard } from './eval-support';

const STEPS = 30;
const TEST_SPLIT = `C-MAPSS FD001 test engines, window-level (anomalous: RUL ≤ ${DEFAULT_RUL_PROTOCOL.anomalousWithin}, normal: RUL > ${DEFAULT_RUL_PROTOCOL.normalAbove})`;
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

function labelled(windows: CmapssWindows, scores: Float32Array): { scores: number[]; labels: number[] } {
  const out = { scores: [] as number[], labels: [] as number[] };
  windows.meta.forEach((m, i) => {
    const label = labelByRul(m.rul);
    if (label === 'unlabelled') return;
    out.scores.push(scores[i]!);
    out.labels.push(label === 'anomalous' ? 1 : 0);
  });
  return out;
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const encoders = (flags.get('encoder') ?? 'cnn,transformer').split(',') as EncoderKind[];
  const epochs = Number(flags.get('epochs') ?? 30);
  const seed = Number(flags.get('seed') ?? 7);
  const save = flags.get('no-save') !== 'true';
  console.log(`backend ${mlBackend.backend}`);

  const { trainNormal: trainWindows, validationAll, validationNormal, test: testWindows, trainEngines, validationEngines } = await fd001Windows(seed, STEPS);
  console.log(`train ${trainWindows.batch.batch} normal windows, validation ${validationAll.batch.batch} windows, test ${testWindows.batch.batch} windows`);

  const summary: Record<string, unknown>[] = [];
  for (const encoder of encoders) {
    const fitted = fitWindowVae({
      windows: trainWindows.batch,
      validation: validationNormal.batch,
      channelNames: FD001_INFORMATIVE_SENSORS,
      model: { encoder, latentDim: 8 },
      training: {
        epochs,
        batchSize: 128,
        learningRate: 2e-3,
        seed,
        klAnnealing: { kind: 'linear', beta: 1, warmupEpochs: 5 },
        earlyStopping: { patience: 5, minDelta: 1e-3 },
        onEpochEnd: logEpoch(`[${encoder}]`),
      },
    });
    const validationScores = scoreWindows(fitted.model, validationAll.batch);
    const testScores = scoreWindows(fitted.model, testWindows.batch);
    const validationNormalScores = scoreWindows(fitted.model, validationNormal.batch);
    const calibration = percentileCalibration(validationNormalScores, 0.99);
    const v = labelled(validationAll, validationScores);
    const t = labelled(testWindows, testScores);
    const validationMetrics = detectionMetrics(v.scores, v.labels);
    const testMetrics = detectionMetrics(t.scores, t.labels);
    const atThreshold = t.scores.reduce(
      (acc, s, i) => {
        const alarm = s > calibration.threshold;
        if (alarm && t.labels[i] === 1) acc.tp++;
        else if (alarm) acc.fp++;
        else if (t.labels[i] === 1) acc.fn++;
        return acc;
      },
      { tp: 0, fp: 0, fn: 0 },
    );
    const f1AtThreshold = (2 * atThreshold.tp) / (2 * atThreshold.tp + atThreshold.fp + atThreshold.fn);
    const row = {
      encoder,
      params: fitted.model.vae.countParams(),
      epochs: fitted.result.history.length,
      seconds: Math.round(fitted.result.history.reduce((s, h) => s + h.seconds, 0)),
      testRocAuc: round4(testMetrics.rocAuc),
      testPrAuc: round4(testMetrics.prAuc),
      testBestF1: round4(testMetrics.bestF1),
      testF1AtCalibratedThreshold: round4(f1AtThreshold),
      validationRocAuc: round4(validationMetrics.rocAuc),
      testWindows: `${testMetrics.negatives} normal / ${testMetrics.positives} anomalous`,
    };
    console.log(JSON.stringify(row));
    summary.push(row);
    if (save) {
      const { dir } = await saveWithCard(registryRoot(flags), fitted, {
        kind: 'timeseries-vae',
        name: `cmapss-fd001-${encoder}`,
        data: {
          fingerprint: dataFingerprint([trainWindows.batch.data], { steps: STEPS, channels: trainWindows.batch.channels }),
          source: `C-MAPSS FD001 train_FD001.txt, normal windows (RUL > ${DEFAULT_RUL_PROTOCOL.normalAbove}) of ${trainEngines} engines (split seed ${seed})`,
          windows: trainWindows.batch.batch,
          steps: STEPS,
          stride: 1,
        },
        calibration,
        metrics: {
          testRocAuc: testMetrics.rocAuc,
          testPrAuc: testMetrics.prAuc,
          testBestF1: testMetrics.bestF1,
          testBestF1Threshold: testMetrics.bestF1Threshold,
          testF1AtCalibratedThreshold: f1AtThreshold,
          validationRocAuc: validationMetrics.rocAuc,
        },
        card: {
          title: `C-MAPSS FD001 time-series VAE (${encoder} encoder)`,
          summary: 'Detects HPC degradation in turbofan engines from 30-cycle windows of the 14 informative FD001 sensors (raw values in).',
          reproduce: `npx tsx libs/ml/eval/cmapss.eval.ts --encoder ${encoder} --epochs ${epochs} --seed ${seed}`,
          protocol:
            `Window-level, labels by RUL at the window's last cycle (anomalous RUL ≤ ${DEFAULT_RUL_PROTOCOL.anomalousWithin}, normal RUL > ${DEFAULT_RUL_PROTOCOL.normalAbove}, ` +
            'the band between ignored; libs/datasets/docs/cmapss-protocol.md). Test = NASA test engines (never seen); validation = 20 % held-out training engines.',
          results: [
            {
              subset: 'test engines (100)',
              values: {
                'ROC-AUC': testMetrics.rocAuc,
                'PR-AUC (AP)': testMetrics.prAuc,
                'best F1': testMetrics.bestF1,
                'best-F1 threshold': testMetrics.bestF1Threshold,
                'F1 @ stored threshold': f1AtThreshold,
                normal: testMetrics.negatives,
                anomalous: testMetrics.positives,
              },
            },
            {
              subset: `validation engines (${validationEngines})`,
              values: {
                'ROC-AUC': validationMetrics.rocAuc,
                'PR-AUC (AP)': validationMetrics.prAuc,
                'best F1': validationMetrics.bestF1,
                'best-F1 threshold': validationMetrics.bestF1Threshold,
                normal: validationMetrics.negatives,
                anomalous: validationMetrics.positives,
              },
            },
          ],
          limitations: [
            'FD001 only: one operating condition and one fault mode (HPC degradation). Multi-regime subsets need the per-condition normaliser of @vigil/datasets in front.',
            'The stored threshold is the 99th percentile of validation-engine normal scores (percentile fallback), not yet EVT.',
            'Degradation between RUL 125 and 30 is left out of the metrics; scores rise gradually through it.',
          ],
        },
      });
      // The test scores with their labels, for the dashboard's ROC and PR curves (services/api reads them, /v1/training).
      await writeFile(join(dir, 'evaluation-scores.json'), JSON.stringify({ split: TEST_SPLIT, scores: t.scores.map(round6), labels: t.labels }));
      // What a detector serving it live starts its thresholds from (as cmapss-calibration.ts writes for older versions).
      await writeCmapssCalibration(dir, validationNormalScores, seed);
      console.log(`saved ${dir}`);
    }
    fitted.model.dispose();
  }
  console.table(summary);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * `vigil timeseries train --csv <file> [--time-column <name>] [--exclude <col,...>] --out <model-dir>`
 *
 * Bring-your-own-data training: every numeric column except the time column and the exclusions is a channel.
 * The whole file is taken as normal operation; the last 10 % of windows stop training early; the anomaly
 * threshold is calibrated on the training windows' scores. Writes a model folder `loadWindowModel` reads, with
 * its model card. Options: --encoder cnn|transformer, --window <steps> (32), --epochs (30), --latent (8),
 * --hidden (32), --learning-rate (0.002), --beta (1), --seed (7), --threshold evt|percentile (evt: POT with risk
 * --risk 0.001; falls back to the --percentile 0.99 of training scores when the tail is too thin to fit).
 */
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { THRESHOLD_CALIBRATION_FILE } from '@vigil/detection';
import {
  dataFingerprint,
  type EncoderKind,
  fitWindowVae,
  MODEL_CARD_FILE,
  renderModelCard,
  scoreWindows,
  slidingWindows,
  trainingSummary,
  windowCount,
  writeWindowModel,
} from '@vigil/ml';
import { listFlag, numberFlag, parseArgs, UsageError } from '../args';
import { describeMissing, readNumericTable } from '../csv/numeric-table';
import { calibrateThreshold, DEFAULT_THRESHOLD_OPTIONS } from './threshold-calibration';

export interface CommandIo {
  log: (line: string) => void;
}

/** Caps the windows one epoch sees, so a year of 1-s data still trains in minutes (stride grows instead). */
const MAX_TRAINING_WINDOWS = 20_000;

export async function timeseriesTrain(argv: readonly string[], io: CommandIo): Promise<void> {
  const flags = parseArgs(argv, {
    required: ['csv', 'out'],
    optional: ['time-column', 'exclude', 'encoder', 'window', 'epochs', 'latent', 'hidden', 'learning-rate', 'beta', 'seed', 'threshold', 'risk', 'percentile'],
  });
  const encoder = (flags.get('encoder') ?? 'cnn') as EncoderKind;
  if (encoder !== 'cnn' && encoder !== 'transformer') throw new UsageError(`--encoder must be cnn or transformer, got "${encoder}"`);
  const csvPath = flags.get('csv')!;
  const table = readNumericTable(await readFile(csvPath, 'utf8'), { timeColumn: flags.get('time-column'), exclude: listFlag(flags, 'exclude') });
  io.log(`read ${table.rows} rows × ${table.channels.length} channels (${table.channels.join(', ')}), delimiter "${table.delimiter === '\t' ? '\\t' : table.delimiter}", time column ${table.timeColumn ?? '(none)'}`);
  for (const line of describeMissing(table.missing, table.rows)) io.log(`missing: ${line}`);

  const steps = numberFlag(flags, 'window', 32, { min: 2, integer: true });
  if (table.rows < steps * 4) throw new UsageError(`need at least ${steps * 4} rows for --window ${steps} (4 windows' worth), the file has ${table.rows}`);
  const stride = Math.max(1, Math.ceil(windowCount(table.rows, { steps, stride: 1 }) / MAX_TRAINING_WINDOWS));
  const windows = slidingWindows(table.values, table.channels.length, { steps, stride });
  const epochs = numberFlag(flags, 'epochs', 30, { min: 1, integer: true });
  const seed = numberFlag(flags, 'seed', 7, { integer: true });
  const fitted = fitWindowVae({
    windows,
    channelNames: table.channels,
    model: { encoder, latentDim: numberFlag(flags, 'latent', 8, { min: 1, integer: true }), hiddenUnits: numberFlag(flags, 'hidden', 32, { min: 1, integer: true }) },
    training: {
      epochs,
      seed,
      batchSize: 128,
      learningRate: numberFlag(flags, 'learning-rate', 2e-3, { min: 0 }),
      klAnnealing: { kind: 'linear', beta: numberFlag(flags, 'beta', 1, { min: 0 }), warmupEpochs: Math.max(1, Math.floor(epochs / 6)) },
      validationFraction: 0.1,
      onEpochEnd: (e) => io.log(`epoch ${e.epoch + 1}/${epochs}: loss ${e.loss.toFixed(4)}, validation ${e.validationLoss.toFixed(4)} (${e.seconds.toFixed(1)} s)`),
    },
  });
  try {
    const calibrationScores = scoreWindows(fitted.model, windows);
    const thresholdMethod = flags.get('threshold') ?? 'evt';
    if (thresholdMethod !== 'evt' && thresholdMethod !== 'percentile') throw new UsageError(`--threshold must be evt or percentile, got "${thresholdMethod}"`);
    const calibrated = calibrateThreshold(calibrationScores, {
      ...DEFAULT_THRESHOLD_OPTIONS,
      method: thresholdMethod,
      q: numberFlag(flags, 'risk', DEFAULT_THRESHOLD_OPTIONS.q, { min: 0 }),
      percentile: numberFlag(flags, 'percentile', DEFAULT_THRESHOLD_OPTIONS.percentile, { min: 0 }),
    });
    if (calibrated.fallbackReason) io.log(`EVT calibration not possible (${calibrated.fallbackReason}); using the ${calibrated.calibration.parameters.percentile} percentile`);
    const { calibration } = calibrated;
    const out = flags.get('out')!;
    const history = fitted.result.history;
    const manifest = await writeWindowModel(out, fitted.model, {
      kind: 'timeseries-vae',
      name: path.basename(path.resolve(out)),
      version: 'v1',
      data: {
        fingerprint: dataFingerprint([table.values], { rows: table.rows, channels: table.channels.join(',') }),
        source: path.basename(csvPath),
        windows: windows.batch,
        steps,
        stride,
      },
      calibration,
      hyperParameters: { encoder, epochs, seed, steps, stride, batchSize: fitted.trainingOptions.batchSize, learningRate: fitted.trainingOptions.learningRate, klAnnealing: fitted.trainingOptions.klAnnealing },
      training: trainingSummary(fitted.result),
      metrics: { bestValidationLoss: fitted.result.bestValidationLoss },
      extra: { timeColumn: table.timeColumn ?? null, exclude: listFlag(flags, 'exclude'), delimiter: table.delimiter, missing: table.missing },
    });
    if (calibrated.detectionCalibration) {
      await writeFile(path.join(out, THRESHOLD_CALIBRATION_FILE), JSON.stringify({ ...calibrated.detectionCalibration, modelVersion: `${manifest.name}@${manifest.version}` }, null, 1) + '\n');
    }
    await writeFile(
      path.join(out, MODEL_CARD_FILE),
      renderModelCard(manifest, {
        summary: `Trained with \`vigil timeseries train\` on ${path.basename(csvPath)}, taken as normal operation.`,
        reproduce: `npx vigil timeseries train --csv ${csvPath} ${table.timeColumn ? `--time-column ${table.timeColumn} ` : ''}${flags.has('exclude') ? `--exclude ${flags.get('exclude')} ` : ''}--encoder ${encoder} --window ${steps} --epochs ${epochs} --seed ${seed} --out ${out}`,
        limitations: ['Unsupervised: the whole training file is assumed normal; anomalies in it raise the threshold.', `Threshold: ${calibration.method} on ${calibration.scoreCount} training-window scores.`],
      }),
    );
    io.log(`trained ${history.length} epochs (best ${fitted.result.bestEpoch + 1}); threshold ${calibration.threshold.toPrecision(4)} (${calibration.method}); saved ${out}`);
  } finally {
    fitted.model.dispose();
  }
}

/**
 * `vigil timeseries score --model <model-dir> --csv <file> --out <scores.csv>`
 *
 * Scores every row of a CSV with a model from `vigil timeseries train`: the model's channels are read by name
 * (other columns are ignored), windows slide one row at a time, and each row gets the score of the window that
 * ends on it (rows before the first full window get the first window's score), the stored threshold and
 * `is_anomaly`. The time column (same name as in training, or --time-column) is passed through.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { loadWindowModel, scoreWindows, slidingWindows } from '@vigil/ml';
import { parseArgs, UsageError } from '../args';
import { describeMissing, readNumericTable } from '../csv/numeric-table';
import { rowScores, scoresCsv } from './row-scores';
import type { CommandIo } from './timeseries-train.command';

export interface RowScoring {
  scores: Float32Array;
  threshold: number;
  time: { name: string; values: string[] } | undefined;
}

/** Scores a CSV text with a saved model; shared by `score` and `evaluate`. */
export async function scoreCsvRows(modelDir: string, text: string, timeColumnFlag: string | undefined, io: CommandIo): Promise<RowScoring> {
  const { model, manifest } = await loadWindowModel(modelDir);
  try {
    if (!manifest.calibration) throw new UsageError(`${modelDir} has no calibrated threshold`);
    const trainedTime = typeof manifest.extra?.timeColumn === 'string' ? manifest.extra.timeColumn : undefined;
    const table = readNumericTable(text, { timeColumn: timeColumnFlag ?? trainedTime, columns: model.channelNames });
    for (const line of describeMissing(table.missing, table.rows)) io.log(`missing: ${line}`);
    if (table.rows < model.steps) throw new UsageError(`the model's window is ${model.steps} rows, the file has only ${table.rows}`);
    const windows = slidingWindows(table.values, model.channels, { steps: model.steps, stride: 1 });
    const scores = rowScores(scoreWindows(model, windows), model.steps);
    const time = table.timeColumn && table.time ? { name: table.timeColumn, values: table.time } : undefined;
    return { scores, threshold: manifest.calibration.threshold, time };
  } finally {
    model.dispose();
  }
}

export async function timeseriesScore(argv: readonly string[], io: CommandIo): Promise<void> {
  const flags = parseArgs(argv, { required: ['model', 'csv', 'out'], optional: ['time-column'] });
  const { scores, threshold, time } = await scoreCsvRows(flags.get('model')!, await readFile(flags.get('csv')!, 'utf8'), flags.get('time-column'), io);
  await writeFile(flags.get('out')!, scoresCsv(scores, threshold, time));
  const anomalies = scores.reduce((n, s) => n + (s > threshold ? 1 : 0), 0);
  io.log(`scored ${scores.length} rows: ${anomalies} above the threshold ${threshold.toPrecision(4)}; wrote ${flags.get('out')}`);
}

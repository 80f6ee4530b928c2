/**
 * `vigil timeseries score`: a saved detector over a CSV → the per-row scores CSV and the alarm-intervals CSV.
 */
import { writeFile } from 'node:fs/promises';
import { loadWindowModel } from '@vigil/ml';
import { InputError } from '../cli-errors';
import { type CommandIo, type InputFlags, type LoadedTable, readTables } from './plant-inputs';
import { readDetectorFile } from './plant-detector';
import { alarmsCsv, type ScoredSeries, type ScoringOptions, scoreSeries, scoresCsv } from './plant-scoring';

export type ScoreFlags = InputFlags & { model: string };

/** Scores every input table with the model in `flags.model`; shared by `score` and `evaluate --model`. */
export async function scoreTables(flags: ScoreFlags, options: ScoringOptions, io: CommandIo): Promise<{ table: LoadedTable; result: ScoredSeries }[]> {
  const { model, manifest } = await loadWindowModel(flags.model);
  try {
    const detector = await readDetectorFile(flags.model);
    const trainedTime = typeof manifest.extra?.timeColumn === 'string' ? manifest.extra.timeColumn : undefined;
    const tables = await readTables({ ...flags, timeColumn: flags.timeColumn ?? trainedTime }, io, model.channelNames);
    return tables.map((table) => {
      if (table.rows < model.steps) throw new InputError(`${table.source}: the model's window is ${model.steps} rows, the file has only ${table.rows}`);
      return { table, result: scoreSeries(model, detector, table.values, options, table) };
    });
  } finally {
    model.dispose();
  }
}

export async function scoreAction(flags: ScoreFlags & { out: string; alarms?: string }, options: ScoringOptions, io: CommandIo): Promise<void> {
  if (flags.csv.length !== 1) throw new InputError('score takes one --csv file (use evaluate for folders)');
  const [{ table, result }] = (await scoreTables(flags, options, io)) as [{ table: LoadedTable; result: ScoredSeries }];
  const time = table.timeColumn && table.time ? { name: table.timeColumn, values: table.time } : undefined;
  const alarmsPath = flags.alarms ?? flags.out.replace(/(\.csv)?$/, '.alarms.csv');
  await writeFile(flags.out, scoresCsv(result, time));
  await writeFile(alarmsPath, alarmsCsv(result, time));
  const above = result.scores.reduce((n, s, i) => n + (s > result.thresholds[i]! ? 1 : 0), 0);
  io.log(`scored ${table.rows} rows: ${above} above the threshold, ${result.alarms.length} alarm(s); wrote ${flags.out} and ${alarmsPath}`);
}

/**
 * Reading the user's files for training, scoring and evaluation with one set of options, and the options'
 * commander definitions, so every subcommand spells and checks them the same way.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Delimiter } from '@vigil/datasets';
import { ALARM_ENDS, type AlarmEnd } from '@vigil/detection';
import { InputError } from '../cli-errors';
import { commaList, delimiterArg, integerIn, numberIn } from '../cli-options';
import { expandCsvInputs } from '../csv/input-files';
import { describeRepairs, NON_FINITE_POLICIES, type NonFinitePolicy, type NumericTable, readNumericTable } from '../csv/numeric-table';
import { DEFAULT_DETECTOR_OPTIONS, type DetectorOptions } from './plant-detector';
import { DEFAULT_CLI_ALARM, THRESHOLD_MODES, type ThresholdMode } from './plant-scoring';

export interface CommandIo {
  /** Progress, warnings and errors (stderr). */
  log: (line: string) => void;
  /** Help and reports meant for stdout; defaults to `log`. */
  out?: (text: string) => void;
}

export interface InputFlags {
  csv: string[];
  timeColumn?: string;
  exclude: string[];
  labelColumn?: string;
  delimiter?: Delimiter;
  nonFinite: NonFinitePolicy;
  trainRows?: number;
}

export function addInputOptions(command: Command, { labelRequired = false } = {}): Command {
  command
    .requiredOption('--csv <paths...>', 'CSV files, folders of .csv files or globs; each file is its own sequence')
    .option('--time-column <name>', 'time column, passed through to the output (default: a column named time, timestamp, datetime, date or ts)')
    .option('--exclude <columns>', 'comma-separated columns that are not sensors', commaList, [])
    .addOption(new Option('--delimiter <char>', 'field delimiter: , ; tab | (default: sniffed from the header)').argParser(delimiterArg))
    .addOption(
      new Option('--non-finite <policy>', 'empty, NaN or infinite cells: interpolate, drop the row, or fail')
        .choices(NON_FINITE_POLICIES)
        .default('interpolate'),
    );
  if (labelRequired) command.requiredOption('--label-column <name>', 'the 0/1 label column (1 = anomalous row)');
  else command.option('--label-column <name>', 'a 0/1 label column: never a sensor, used only by evaluate');
  return command;
}

export function addDetectorOptions(command: Command): Command {
  const d = DEFAULT_DETECTOR_OPTIONS;
  return command
    .option('--train-rows <rows>', 'train on the first N rows of each file only (e.g. 400 for the SKAB protocol)', integerIn(1))
    .addOption(new Option('--encoder <kind>', 'VAE encoder').choices(['cnn', 'transformer']).default(d.encoder))
    .option('--window <rows>', 'rows per VAE window', integerIn(2, 4096), d.steps)
    .option('--epochs <n>', 'maximum training epochs (early stopping on the last 10 % of windows)', integerIn(1, 10_000), d.epochs)
    .option('--latent <n>', 'VAE latent dimensions', integerIn(1, 1024), d.latentDim)
    .option('--hidden <n>', 'VAE hidden units', integerIn(1, 4096), d.hiddenUnits)
    .option('--learning-rate <rate>', 'Adam learning rate', numberIn(0, 1, { exclusive: true }), d.learningRate)
    .option('--beta <beta>', 'β of the β-VAE', numberIn(0, 100), d.beta)
    .option('--seed <n>', 'random seed', integerIn(0), d.seed)
    .option('--holdout <fraction>', 'last fraction of each training file held out to fit the threshold', numberIn(0.05, 0.5), d.holdout)
    .option('--risk <q>', 'expected fraction of normal rows above the threshold', numberIn(0, 0.5, { exclusive: true }), d.risk)
    .option('--level-span <rows>', 'rows of the rolling mean in the level statistic', integerIn(1, 100_000), d.levelSpan)
    .option(
      '--level-tau <rows>',
      'time constant of the level baseline that follows normal drift (frozen per channel while it is anomalous)',
      numberIn(1, 1e9),
      d.levelTau,
    )
    .option(
      '--level-max-freeze <rows>',
      'rows a level baseline stays frozen at most; a level away longer is learnt as the new normal (0: no limit)',
      integerIn(0),
      d.levelMaxFreeze,
    )
    .option('--vae-weight <w>', 'share of the VAE in the score (the rest: the per-channel level statistic)', numberIn(0, 1), d.vaeWeight);
}

export function addScoringOptions(command: Command): Command {
  const a = DEFAULT_CLI_ALARM;
  return command
    .addOption(
      new Option('--threshold <mode>', 'static (held-out threshold) or streaming SPOT/DSPOT that follows slow drift')
        .choices(THRESHOLD_MODES)
        .default('static'),
    )
    .option('--spot-risk <q>', 'risk q of SPOT/DSPOT (default: the training --risk)', numberIn(0, 0.5, { exclusive: true }))
    .option('--alarm-k <k>', 'rows above the threshold, among the last --alarm-n, that open an alarm', integerIn(1), a.k)
    .option('--alarm-n <n>', 'debouncing window (rows)', integerIn(1), a.n)
    .option('--clear-ratio <r>', 'hysteresis: an open alarm counts a row as quiet below r × threshold', numberIn(0, 1, { exclusive: false }), a.clearRatio)
    .option('--clear-after <rows>', 'quiet rows that close an alarm', integerIn(1), a.clearAfter)
    .option('--min-gap <rows>', 'alarms closer than this are merged into one', integerIn(0), a.minGap)
    .option('--min-alarm-seconds <s>', 'drop alarms lasting less than this many seconds (from the time column); 0 keeps all', numberIn(0, 1e9), 0)
    .addOption(
      new Option('--alarm-end <end>', 'an alarm interval ends when the alarm cleared, or at its last row above the threshold')
        .choices(ALARM_ENDS)
        .default(a.end),
    );
}

export function detectorOptionsOf(flags: Record<string, unknown>): DetectorOptions {
  return {
    encoder: flags.encoder as DetectorOptions['encoder'],
    steps: flags.window as number,
    latentDim: flags.latent as number,
    hiddenUnits: flags.hidden as number,
    epochs: flags.epochs as number,
    learningRate: flags.learningRate as number,
    beta: flags.beta as number,
    seed: flags.seed as number,
    holdout: flags.holdout as number,
    risk: flags.risk as number,
    levelSpan: flags.levelSpan as number,
    levelTau: flags.levelTau as number,
    levelMaxFreeze: flags.levelMaxFreeze as number,
    vaeWeight: flags.vaeWeight as number,
  };
}

export function scoringOptionsOf(flags: Record<string, unknown>) {
  const k = flags.alarmK as number;
  const n = flags.alarmN as number;
  if (k > n) throw new InputError(`--alarm-k ${k} cannot exceed --alarm-n ${n}`);
  return {
    threshold: flags.threshold as ThresholdMode,
    risk: flags.spotRisk as number | undefined,
    minAlarmSeconds: flags.minAlarmSeconds as number,
    alarm: {
      k,
      n,
      clearRatio: flags.clearRatio as number,
      clearAfter: flags.clearAfter as number,
      minGap: flags.minGap as number,
      end: flags.alarmEnd as AlarmEnd,
    },
  };
}

export interface LoadedTable extends NumericTable {
  source: string;
}

/** Reads every input file; `columns` pins the sensor columns (a saved model's), else the first file's are used by all. */
export async function readTables(flags: InputFlags, io: CommandIo, columns?: readonly string[]): Promise<LoadedTable[]> {
  const files = await expandCsvInputs(flags.csv);
  const tables: LoadedTable[] = [];
  for (const source of files) {
    const table = readNumericTable(await readFile(source, 'utf8'), {
      source,
      delimiter: flags.delimiter,
      timeColumn: flags.timeColumn,
      exclude: flags.exclude,
      labelColumn: flags.labelColumn,
      nonFinite: flags.nonFinite,
      columns: columns ?? tables[0]?.channels,
    });
    for (const line of describeRepairs(table)) io.log(`${source}: ${line}`);
    tables.push({ ...table, source });
  }
  return tables;
}

/** The first `rows` rows of a table (the training part under a "train on the first N rows" protocol). */
export function headRows(table: LoadedTable, rows: number): LoadedTable {
  if (table.rows < rows) throw new InputError(`${table.source}: --train-rows ${rows} but the file has only ${table.rows} rows`);
  const channels = table.channels.length;
  return {
    ...table,
    rows,
    values: table.values.subarray(0, rows * channels),
    time: table.time?.slice(0, rows),
    labels: table.labels?.subarray(0, rows),
    lines: table.lines.slice(0, rows),
  };
}

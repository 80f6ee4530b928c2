/**
 * The `vigil timeseries` command group: train, score, evaluate, tune. A factory so the program (and tests)
 * build it with their own output, and other groups (vision, …) plug in beside it with `addCommand`.
 *
 * @example
 *   program.addCommand(timeseriesCommand(io));
 */
import { Command } from 'commander';
import { addDetectorOptions, addInputOptions, addScoringOptions, type CommandIo, detectorOptionsOf, type InputFlags, scoringOptionsOf } from './plant-inputs';
import { evaluateAction, type EvaluateFlags } from './evaluate.action';
import { scoreAction, type ScoreFlags } from './score.action';
import { trainAction } from './train.action';
import { tuneAction, type TuneFlags } from './tune.action';

export function timeseriesTrainCommand(io: CommandIo): Command {
  const command = new Command('train').description('train a detector on normal operation (one or more CSV files); threshold fitted on held-out rows');
  addInputOptions(command);
  addDetectorOptions(command).requiredOption('--out <dir>', 'model folder to write');
  return command.action((flags: InputFlags & { out: string } & Record<string, unknown>) => trainAction(flags, detectorOptionsOf(flags), io));
}

export function timeseriesScoreCommand(io: CommandIo): Command {
  const command = new Command('score').description('score every row of a CSV; writes per-row scores and alarm intervals');
  addInputOptions(command);
  addScoringOptions(command)
    .requiredOption('--model <dir>', 'model folder from `vigil timeseries train`')
    .requiredOption('--out <scores.csv>', 'per-row scores CSV to write')
    .option('--alarms <alarms.csv>', 'alarm-intervals CSV to write (default: <out>.alarms.csv)');
  return command.action((flags: ScoreFlags & { out: string; alarms?: string } & Record<string, unknown>) => scoreAction(flags, scoringOptionsOf(flags), io));
}

export function evaluateCommand(io: CommandIo, name = 'evaluate'): Command {
  const command = new Command(name).description('point, event and NAB metrics on labelled CSV files, with a saved --model or trained per file (--train-rows)');
  addInputOptions(command, { labelRequired: true });
  addDetectorOptions(command);
  addScoringOptions(command)
    .option('--model <dir>', "model folder; without it, a detector is trained on each file's first --train-rows rows")
    .option('--json <file>', 'also write the report as JSON');
  return command.action((flags: EvaluateFlags & Record<string, unknown>) => evaluateAction(flags, detectorOptionsOf(flags), scoringOptionsOf(flags), io));
}

export function timeseriesTuneCommand(io: CommandIo): Command {
  const command = new Command('tune').description('hyper-parameter search (successive halving), then trains the best configuration');
  addInputOptions(command);
  addDetectorOptions(command)
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--trials <n>', 'configurations in the first rung', (v) => Number.parseInt(v, 10), 9)
    .option('--eta <n>', 'halving rate', (v) => Number(v), 3)
    .option('--min-epochs <n>', 'epochs of the first rung', (v) => Number.parseInt(v, 10), 3)
    .option('--max-epochs <n>', 'epochs of the last rung', (v) => Number.parseInt(v, 10), 27);
  return command.action((flags: TuneFlags & Record<string, unknown>) => tuneAction(flags, detectorOptionsOf(flags), io));
}

export function timeseriesCommand(io: CommandIo): Command {
  return new Command('timeseries')
    .description('bring-your-own sensor data: train, score, evaluate, tune')
    .addCommand(timeseriesTrainCommand(io))
    .addCommand(timeseriesScoreCommand(io))
    .addCommand(evaluateCommand(io))
    .addCommand(timeseriesTuneCommand(io));
}

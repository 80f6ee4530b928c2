/**
 * `vigil timeseries tune --csv <file> [--time-column <name>] [--exclude <col,...>] --out <model-dir>`
 *
 * Hyper-parameter search for the bring-your-own-data model: random search with successive halving over the
 * encoder, latent size, hidden width, learning rate and β, with epochs as the budget (--trials 9, --eta 3,
 * --min-epochs 3, --max-epochs 27). Objective: the negative ELBO (β = 1) on the last 10 % of windows, which
 * compares models trained with different β on an equal footing. Prints every trial, writes the best
 * parameters to `<out>/search.json` and trains the final model into `<out>` like `vigil timeseries train`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import {
  categorical,
  evaluateLoss,
  fitWindowVae,
  floatRange,
  type Params,
  slidingWindows,
  splitTail,
  successiveHalving,
  windowCount,
} from '@vigil/ml';
import { listFlag, numberFlag, parseArgs, UsageError } from '../args';
import { readNumericTable } from '../csv/numeric-table';
import { type CommandIo, timeseriesTrain } from './timeseries-train.command';

const SPACE = {
  encoder: categorical(['cnn', 'transformer']),
  latentDim: categorical([4, 8, 16]),
  hiddenUnits: categorical([16, 32, 64]),
  learningRate: floatRange(5e-4, 5e-3, { log: true }),
  beta: categorical([0.25, 0.5, 1, 2]),
};

export async function timeseriesTune(argv: readonly string[], io: CommandIo): Promise<void> {
  const flags = parseArgs(argv, {
    required: ['csv', 'out'],
    optional: ['time-column', 'exclude', 'window', 'trials', 'eta', 'min-epochs', 'max-epochs', 'seed'],
  });
  const table = readNumericTable(await readFile(flags.get('csv')!, 'utf8'), { timeColumn: flags.get('time-column'), exclude: listFlag(flags, 'exclude') });
  const steps = numberFlag(flags, 'window', 32, { min: 2, integer: true });
  if (table.rows < steps * 4) throw new UsageError(`need at least ${steps * 4} rows for --window ${steps}, the file has ${table.rows}`);
  const stride = Math.max(1, Math.ceil(windowCount(table.rows, { steps, stride: 1 }) / 10_000));
  const { train, validation } = splitTail(slidingWindows(table.values, table.channels.length, { steps, stride }), 0.1);
  const seed = numberFlag(flags, 'seed', 7, { integer: true });
  const objective = (params: Params, epochs: number): number => {
    const fitted = fitWindowVae({
      windows: train,
      validation,
      channelNames: table.channels,
      model: { encoder: params.encoder as 'cnn' | 'transformer', latentDim: params.latentDim as number, hiddenUnits: params.hiddenUnits as number },
      training: { epochs, seed, batchSize: 128, learningRate: params.learningRate as number, klAnnealing: { kind: 'linear', beta: params.beta as number, warmupEpochs: Math.max(1, Math.floor(epochs / 6)) } },
    });
    try {
      return evaluateLoss(fitted.model.vae, { ...validation, data: fitted.model.scaler.transform(validation.data) }, 1);
    } finally {
      fitted.model.dispose();
    }
  };
  const result = successiveHalving({
    space: SPACE,
    trials: numberFlag(flags, 'trials', 9, { min: 1, integer: true }),
    eta: numberFlag(flags, 'eta', 3, { min: 2 }),
    minBudget: numberFlag(flags, 'min-epochs', 3, { min: 1, integer: true }),
    maxBudget: numberFlag(flags, 'max-epochs', 27, { min: 1, integer: true }),
    seed,
    objective,
    onResult: (r, rung) => io.log(`rung ${rung} trial ${r.trial} (${r.budget} epochs): ${r.value.toFixed(4)} ${JSON.stringify(r.params)}`),
  });
  const out = flags.get('out')!;
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'search.json'), JSON.stringify({ space: SPACE, best: result.best, history: result.history }, null, 1) + '\n');
  io.log(`best: ${JSON.stringify(result.best.params)} (${result.best.value.toFixed(4)} after ${result.best.budget} epochs); training the final model`);
  const trainArgs = ['--csv', flags.get('csv')!, '--out', out, '--window', String(steps), '--epochs', String(result.best.budget), '--seed', String(seed)];
  const best = result.best.params;
  trainArgs.push('--encoder', String(best.encoder), '--latent', String(best.latentDim), '--hidden', String(best.hiddenUnits));
  trainArgs.push('--learning-rate', String(best.learningRate), '--beta', String(best.beta));
  if (flags.has('time-column')) trainArgs.push('--time-column', flags.get('time-column')!);
  if (flags.has('exclude')) trainArgs.push('--exclude', flags.get('exclude')!);
  await timeseriesTrain(trainArgs, io);
}

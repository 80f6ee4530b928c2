/**
 * `vigil timeseries tune`: random search with successive halving over the encoder, latent size, hidden width,
 * learning rate and β, epochs as the budget. Objective: the negative ELBO (β = 1) on the last 10 % of the
 * robust-scaled windows. Writes the best parameters to `<out>/search.json`, then trains the final detector.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { categorical, evaluateLoss, fitWindowVae, floatRange, type Params, slidingWindows, splitTail, successiveHalving, windowCount } from '@vigil/ml';
import { InputError } from '../cli-errors';
import { type CommandIo, headRows, type InputFlags, readTables } from './plant-inputs';
import type { DetectorOptions } from './plant-detector';
import { applyRobustScaling, fitRobustScaling } from './robust-scaling';
import { trainAction } from './train.action';

const SPACE = {
  encoder: categorical(['cnn', 'transformer']),
  latentDim: categorical([4, 8, 16]),
  hiddenUnits: categorical([16, 32, 64]),
  learningRate: floatRange(5e-4, 5e-3, { log: true }),
  beta: categorical([0.25, 0.5, 1, 2]),
};

export type TuneFlags = InputFlags & { out: string; trials: number; eta: number; minEpochs: number; maxEpochs: number };

export async function tuneAction(flags: TuneFlags, options: DetectorOptions, io: CommandIo): Promise<void> {
  let [table] = await readTables({ ...flags, csv: flags.csv.slice(0, 1) }, io);
  if (flags.trainRows) table = headRows(table!, flags.trainRows);
  const { channels, rows, values } = table!;
  const steps = options.steps;
  if (rows < steps * 4) throw new InputError(`${table!.source}: need at least ${steps * 4} rows for --window ${steps}, the file has ${rows}`);
  const scaled = applyRobustScaling(fitRobustScaling(values, channels.length), values);
  const stride = Math.max(1, Math.ceil(windowCount(rows, { steps, stride: 1 }) / 10_000));
  const { train, validation } = splitTail(slidingWindows(scaled, channels.length, { steps, stride }), 0.1);
  const objective = (params: Params, epochs: number): number => {
    const fitted = fitWindowVae({
      windows: train,
      validation,
      channelNames: channels,
      model: { encoder: params.encoder as 'cnn' | 'transformer', latentDim: params.latentDim as number, hiddenUnits: params.hiddenUnits as number },
      training: {
        epochs,
        seed: options.seed,
        batchSize: 64,
        learningRate: params.learningRate as number,
        klAnnealing: { kind: 'linear', beta: params.beta as number, warmupEpochs: Math.max(1, Math.floor(epochs / 6)) },
      },
    });
    try {
      return evaluateLoss(fitted.model.vae, { ...validation, data: fitted.model.scaler.transform(validation.data) }, 1);
    } finally {
      fitted.model.dispose();
    }
  };
  const result = successiveHalving({
    space: SPACE,
    trials: flags.trials,
    eta: flags.eta,
    minBudget: flags.minEpochs,
    maxBudget: flags.maxEpochs,
    seed: options.seed,
    objective,
    onResult: (r, rung) => io.log(`rung ${rung} trial ${r.trial} (${r.budget} epochs): ${r.value.toFixed(4)} ${JSON.stringify(r.params)}`),
  });
  await mkdir(flags.out, { recursive: true });
  await writeFile(path.join(flags.out, 'search.json'), JSON.stringify({ space: SPACE, best: result.best, history: result.history }, null, 1) + '\n');
  io.log(`best: ${JSON.stringify(result.best.params)} (${result.best.value.toFixed(4)} after ${result.best.budget} epochs); training the final model`);
  const best = result.best.params;
  await trainAction(
    flags,
    {
      ...options,
      epochs: result.best.budget,
      encoder: best.encoder as 'cnn' | 'transformer',
      latentDim: best.latentDim as number,
      hiddenUnits: best.hiddenUnits as number,
      learningRate: best.learningRate as number,
      beta: best.beta as number,
    },
    io,
  );
}

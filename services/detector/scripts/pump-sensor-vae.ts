/**
 * The pump sensor VAE's training recipe, one place for the training script and its β sweep: a 1D-CNN VAE with
 * latent 8, Adam at batch 64, early stopping, KL annealed over 5 epochs to `beta`. Weights are seeded: tfjs's
 * initialisers draw from `Math.random`, so it is replaced for the fit only, and the same windows give the same model.
 *
 * @example
 *   const fitted = fitPumpSensorVae(train.batch, train.channelNames, { epochs: 15, beta: 1 });
 */
import { mulberry32 } from '@vigil/features';
import { fitWindowVae, type FittedWindowVae, type WindowBatch, withMathRandom } from '@vigil/ml';

export function fitPumpSensorVae(windows: WindowBatch, channelNames: readonly string[], options: { epochs: number; beta: number }): FittedWindowVae {
  return withMathRandom(mulberry32(5), () =>
    fitWindowVae({
      windows,
      channelNames,
      model: { encoder: 'cnn', latentDim: 8 },
      training: {
        epochs: options.epochs,
        batchSize: 64,
        seed: 5,
        earlyStopping: { patience: 3, minDelta: 1e-4 },
        klAnnealing: { kind: 'linear', beta: options.beta, warmupEpochs: 5 },
      },
    }),
  );
}

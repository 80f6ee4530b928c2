/**
 * Training loop of the VAEs: mini-batch Adam on the β-VAE loss with KL annealing, validation on held-out
 * windows at the full β (so annealing does not masquerade as overfitting), early stopping that restores the best
 * epoch's weights. Deterministic for a given seed (shuffles and reparameterisation noise).
 *
 * @example
 *   const result = trainVae(vae, scaledWindows, { ...DEFAULT_TRAINING_OPTIONS, epochs: 30 });
 *   console.log(result.bestEpoch, result.history.at(-1));
 */
import type { TimeSeriesVae } from '../models/timeseries-vae/timeseries-vae';
import type { WindowBatch } from '../models/window-model';
import { tf } from '../runtime';
import { EarlyStopping, type EarlyStoppingOptions } from './early-stopping';
import { annealingDoneAt, klWeight, type KlAnnealing } from './kl-annealing';
import { seededRandom, shuffleInPlace } from './seeded-random';
import { takeWindows } from './sliding-windows';

type Tensor = ReturnType<typeof tf.tensor>;

export interface VaeTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  klAnnealing: KlAnnealing;
  /** Omit to train all epochs. */
  earlyStopping?: EarlyStoppingOptions;
  /** Held-out windows (already scaled); else the last `validationFraction` of the training windows. */
  validation?: WindowBatch;
  validationFraction: number;
  seed: number;
  /** Caps the batches per epoch (successive halving gives small budgets this way). */
  maxBatchesPerEpoch?: number;
  onEpochEnd?: (log: EpochLog) => void;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  reconstruction: number;
  kl: number;
  klWeight: number;
  validationLoss: number;
  seconds: number;
}

export interface TrainingResult {
  history: EpochLog[];
  /** Epoch whose weights the model holds now. */
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedEarly: boolean;
  trainWindows: number;
  validationWindows: number;
}

export const DEFAULT_TRAINING_OPTIONS: VaeTrainingOptions = {
  epochs: 40,
  batchSize: 64,
  learningRate: 2e-3,
  klAnnealing: { kind: 'linear', beta: 1, warmupEpochs: 5 },
  earlyStopping: { patience: 6, minDelta: 1e-3 },
  validationFraction: 0.1,
  seed: 7,
};

export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

/** Splits off the last `fraction` of windows as validation (windows are in time order, so less leakage). */
export function splitTail(windows: WindowBatch, fraction: number): { train: WindowBatch; validation: WindowBatch } {
  const validationCount = Math.max(1, Math.round(windows.batch * fraction));
  const trainCount = windows.batch - validationCount;
  if (trainCount < 1) throw new TrainingDataError(`need at least 2 windows to split off validation, got ${windows.batch}`);
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  return { train: takeWindows(windows, range(0, trainCount)), validation: takeWindows(windows, range(trainCount, windows.batch)) };
}

/** Mean loss at weight `beta` over `windows` in inference mode (no dropout), with fixed noise. */
export function evaluateLoss(vae: TimeSeriesVae, windows: WindowBatch, beta: number, batchSize = 256): number {
  let weighted = 0;
  const windowSize = windows.steps * windows.channels;
  for (let start = 0; start < windows.batch; start += batchSize) {
    const count = Math.min(batchSize, windows.batch - start);
    const loss = tf.tidy(() => {
      const x = tf.tensor3d(windows.data.subarray(start * windowSize, (start + count) * windowSize), [count, windows.steps, windows.channels]);
      return vae.lossOn(x, beta, 1234, false).total;
    });
    weighted += loss.dataSync()[0]! * count;
    loss.dispose();
  }
  return weighted / windows.batch;
}

export function trainVae(vae: TimeSeriesVae, windows: WindowBatch, options: VaeTrainingOptions): TrainingResult {
  const { steps, channels } = vae.config;
  if (windows.steps !== steps || windows.channels !== channels) {
    throw new TrainingDataError(`windows are [${windows.steps}][${windows.channels}], model takes [${steps}][${channels}]`);
  }
  if (!windows.data.every(Number.isFinite)) throw new TrainingDataError('training windows contain NaN or infinite values');
  const { train, validation } = options.validation ? { train: windows, validation: options.validation } : splitTail(windows, options.validationFraction);
  const random = seededRandom(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const variables = [...vae.encoder.trainableWeights, ...vae.decoder.trainableWeights].map((w) => w.read() as ReturnType<typeof tf.variable>);
  const targetBeta = klWeight(options.klAnnealing, Number.MAX_SAFE_INTEGER - 1);
  const stopper = options.earlyStopping
    ? new EarlyStopping({ ...options.earlyStopping, startEpoch: Math.max(options.earlyStopping.startEpoch ?? 0, annealingDoneAt(options.klAnnealing)) })
    : undefined;
  const order = Uint32Array.from({ length: train.batch }, (_, i) => i);
  const history: EpochLog[] = [];
  let best: Tensor[] | undefined;
  let stoppedEarly = false;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const started = performance.now();
      const beta = klWeight(options.klAnnealing, epoch);
      shuffleInPlace(order, random);
      const batches = Math.min(Math.ceil(train.batch / options.batchSize), options.maxBatchesPerEpoch ?? Number.POSITIVE_INFINITY);
      const sums = { loss: 0, reconstruction: 0, kl: 0 };
      for (let b = 0; b < batches; b++) {
        const batch = takeWindows(train, order.subarray(b * options.batchSize, (b + 1) * options.batchSize));
        const seed = Math.floor(random() * 2 ** 31);
        const parts = tf.tidy(() => {
          const x = tf.tensor3d(batch.data, [batch.batch, steps, channels]);
          let recon: Tensor | undefined;
          let kl: Tensor | undefined;
          const total = optimizer.minimize(
            () => {
              const loss = vae.lossOn(x, beta, seed);
              recon = tf.keep(loss.reconstruction);
              kl = tf.keep(loss.kl);
              return loss.total as ReturnType<typeof tf.scalar>;
            },
            true,
            variables,
          );
          const stacked = tf.stack([total!, recon!, kl!]);
          // Kept so they could leave the minimize closure; tidy does not free kept tensors.
          tf.dispose([recon!, kl!]);
          return stacked;
        });
        const [loss, reconstruction, kl] = parts.dataSync();
        parts.dispose();
        sums.loss += loss!;
        sums.reconstruction += reconstruction!;
        sums.kl += kl!;
      }
      const validationLoss = evaluateLoss(vae, validation, targetBeta);
      const log: EpochLog = {
        epoch,
        loss: sums.loss / batches,
        reconstruction: sums.reconstruction / batches,
        kl: sums.kl / batches,
        klWeight: beta,
        validationLoss,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(log);
      options.onEpochEnd?.(log);
      if (!Number.isFinite(log.loss)) throw new TrainingDataError(`loss became ${log.loss} at epoch ${epoch}; lower the learning rate`);
      if (stopper?.update(epoch, validationLoss).improved) {
        tf.dispose(best ?? []);
        best = vae.weights.map((w) => tf.keep(w.tensor.clone()));
      }
      if (stopper?.shouldStop) {
        stoppedEarly = true;
        break;
      }
    }
    if (best) vae.setWeights(best);
  } finally {
    tf.dispose(best ?? []);
    optimizer.dispose();
  }
  const bestEpoch = stopper && stopper.bestEpoch >= 0 ? stopper.bestEpoch : history.length - 1;
  return {
    history,
    bestEpoch,
    bestValidationLoss: history[bestEpoch]?.validationLoss ?? Number.NaN,
    stoppedEarly,
    trainWindows: train.batch,
    validationWindows: validation.batch,
  };
}

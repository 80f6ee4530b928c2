/**
 * Fits a multimodal VAE on normal windows: per-modality scalers from the training windows, mini-batch Adam on
 * the sub-sampled ELBO (joint + every single modality + one seeded random pair per batch when there are three),
 * early stopping on held-out windows with the best epoch's weights restored, then the per-modality calibration
 * (mean error on the training windows). Deterministic for a seed: tfjs initialisers draw from `Math.random`, so
 * callers that need identical weights across runs seed it (see the spec and `multimodal.train.ts`).
 *
 * @example
 *   const { model, history } = fitMultimodalVae(windows, { fusion: 'moe' }, { epochs: 20, seed: 5 });
 */
import { tf } from '../../runtime';
import { ChannelScaler } from '../channel-scaler';
import { EarlyStopping } from '../../training/early-stopping';
import { seededRandom, shuffleInPlace } from '../../training/seeded-random';
import { MultimodalVae } from './multimodal-vae';
import { disposeBatch, MultimodalWindowModel, packBatch, rawErrors, scaledFeatures, type MultimodalScalers } from './multimodal-window-model';
import type { ModalityName, MultimodalInputs, MultimodalVaeConfigInput } from './types';

type Tensor = ReturnType<typeof tf.tensor>;

export interface MultimodalTrainingOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Share of windows (the last ones, in the order given) held out for early stopping. */
  validationFraction: number;
  patience: number;
  version: string;
  onEpochEnd?: (log: MultimodalEpochLog) => void;
}

export interface MultimodalEpochLog {
  epoch: number;
  loss: number;
  validationLoss: number;
  seconds: number;
}

export const DEFAULT_MULTIMODAL_TRAINING: MultimodalTrainingOptions = {
  epochs: 20,
  batchSize: 64,
  learningRate: 2e-3,
  seed: 7,
  validationFraction: 0.1,
  patience: 4,
  version: 'multimodal@dev',
};

export interface FittedMultimodalVae {
  model: MultimodalWindowModel;
  history: MultimodalEpochLog[];
  bestEpoch: number;
  trainWindows: number;
  validationWindows: number;
}

export class MultimodalTrainingDataError extends Error {
  override readonly name = 'MultimodalTrainingDataError';
}

/** Standardisation per feature of the last axis, over the windows that carry the modality. */
export function fitScalers(vae: MultimodalVae, windows: readonly MultimodalInputs[]): MultimodalScalers {
  const scalers = {} as MultimodalScalers;
  for (const m of vae.config.modalities) {
    const carrying = windows.map((w) => w[m]).filter((x): x is Float32Array => x !== undefined);
    if (carrying.length === 0) throw new MultimodalTrainingDataError(`no training window carries ${m}`);
    const all = new Float32Array(carrying.reduce((n, x) => n + x.length, 0));
    let offset = 0;
    for (const x of carrying) {
      if (!x.every(Number.isFinite)) throw new MultimodalTrainingDataError(`a training window's ${m} holds NaN or infinite values`);
      all.set(x, offset);
      offset += x.length;
    }
    scalers[m] = ChannelScaler.fit(all, scaledFeatures(vae, m));
  }
  return scalers;
}

/** Every single modality, plus (with three or more) one pair drawn per batch: MVAE's sub-sampling. */
function subsetsFor(modalities: readonly ModalityName[], random: () => number): ModalityName[][] {
  const singles = modalities.map((m) => [m]);
  if (modalities.length < 3) return singles;
  const dropped = modalities[Math.floor(random() * modalities.length)]!;
  return [...singles, modalities.filter((m) => m !== dropped)];
}

function meanLoss(vae: MultimodalVae, scalers: MultimodalScalers, windows: readonly MultimodalInputs[], batchSize: number): number {
  let sum = 0;
  for (let start = 0; start < windows.length; start += batchSize) {
    const chunk = windows.slice(start, start + batchSize);
    const batch = packBatch(vae, scalers, chunk);
    const parts = vae.lossOn(batch, vae.config.modalities.map((m) => [m]), 4321, false);
    sum += parts.total.dataSync()[0]! * chunk.length;
    tf.dispose([parts.total, parts.reconstruction, parts.kl]);
    disposeBatch(batch);
  }
  return sum / windows.length;
}

export function fitMultimodalVae(windows: readonly MultimodalInputs[], config: MultimodalVaeConfigInput, options: Partial<MultimodalTrainingOptions> = {}): FittedMultimodalVae {
  const o = { ...DEFAULT_MULTIMODAL_TRAINING, ...options };
  if (windows.length < 4) throw new MultimodalTrainingDataError(`need at least 4 windows, got ${windows.length}`);
  const validationCount = Math.max(1, Math.round(windows.length * o.validationFraction));
  const train = windows.slice(0, windows.length - validationCount);
  const validation = windows.slice(windows.length - validationCount);
  const vae = MultimodalVae.create(config);
  const scalers = fitScalers(vae, train);
  const random = seededRandom(o.seed);
  const optimizer = tf.train.adam(o.learningRate);
  const variables = vae.trainableVariables;
  const stopper = new EarlyStopping({ patience: o.patience, minDelta: 1e-3 });
  const order = Array.from({ length: train.length }, (_, i) => i);
  const history: MultimodalEpochLog[] = [];
  let best: Tensor[] | undefined;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      const started = performance.now();
      shuffleInPlace(order, random);
      let lossSum = 0;
      const batches = Math.ceil(train.length / o.batchSize);
      for (let b = 0; b < batches; b++) {
        const chunk = order.slice(b * o.batchSize, (b + 1) * o.batchSize).map((i) => train[i]!);
        const subsets = subsetsFor(vae.config.modalities, random);
        const seed = Math.floor(random() * 2 ** 31);
        const batch = packBatch(vae, scalers, chunk);
        const loss = optimizer.minimize(
          () => {
            const parts = vae.lossOn(batch, subsets, seed);
            tf.dispose([parts.reconstruction, parts.kl]);
            return parts.total as ReturnType<typeof tf.scalar>;
          },
          true,
          variables,
        );
        lossSum += loss!.dataSync()[0]!;
        loss!.dispose();
        disposeBatch(batch);
      }
      const validationLoss = meanLoss(vae, scalers, validation, 256);
      const log = { epoch, loss: lossSum / batches, validationLoss, seconds: (performance.now() - started) / 1000 };
      history.push(log);
      o.onEpochEnd?.(log);
      if (!Number.isFinite(log.loss)) throw new MultimodalTrainingDataError(`loss became ${log.loss} at epoch ${epoch}; lower the learning rate`);
      if (stopper.update(epoch, validationLoss).improved) {
        tf.dispose(best ?? []);
        best = vae.getWeights();
      }
      if (stopper.shouldStop) break;
    }
    if (best) vae.setWeights(best);
  } finally {
    tf.dispose(best ?? []);
    optimizer.dispose();
  }
  const calibration = calibrate(vae, scalers, train);
  return { model: new MultimodalWindowModel(vae, scalers, calibration, o.version), history, bestEpoch: stopper.bestEpoch, trainWindows: train.length, validationWindows: validation.length };
}

/** Mean raw error per modality over the windows that carry it. */
export function calibrate(vae: MultimodalVae, scalers: MultimodalScalers, windows: readonly MultimodalInputs[]): Partial<Record<ModalityName, number>> {
  const sums: Partial<Record<ModalityName, { sum: number; count: number }>> = {};
  for (let start = 0; start < windows.length; start += 256) {
    const chunk = windows.slice(start, start + 256);
    const { errors } = rawErrors(vae, scalers, chunk);
    for (const m of vae.config.modalities) {
      const acc = (sums[m] ??= { sum: 0, count: 0 });
      chunk.forEach((w, i) => {
        if (w[m] === undefined) return;
        acc.sum += errors[m]![i]!;
        acc.count += 1;
      });
    }
  }
  return Object.fromEntries(vae.config.modalities.map((m) => [m, sums[m]!.count > 0 ? sums[m]!.sum / sums[m]!.count : 1]));
}

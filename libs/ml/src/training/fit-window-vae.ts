/**
 * One call from raw windows to a trained `VaeWindowModel`: fit the channel scaler, scale, train the VAE with
 * early stopping, wrap it behind `WindowModel`. The CLI, the evaluation scripts and the search use this.
 *
 * @example
 *   const { model, result } = fitWindowVae({ windows, channelNames, model: { encoder: 'transformer' }, training: { epochs: 20 } });
 *   const scores = scoreWindows(model, testWindows);
 */
import { ChannelScaler } from '../models/channel-scaler';
import { TimeSeriesVae } from '../models/timeseries-vae/timeseries-vae';
import type { TimeSeriesVaeConfigInput } from '../models/timeseries-vae/types';
import { VaeWindowModel } from '../models/vae-window-model';
import type { WindowBatch, WindowModel } from '../models/window-model';
import { DEFAULT_TRAINING_OPTIONS, trainVae, type TrainingResult, type VaeTrainingOptions } from './vae-trainer';

export interface FitWindowVaeOptions {
  /** Raw (unscaled) training windows, in time order. */
  windows: WindowBatch;
  channelNames: readonly string[];
  /** Architecture; steps and channels come from the windows. */
  model?: Omit<TimeSeriesVaeConfigInput, 'steps' | 'channels'>;
  training?: Partial<VaeTrainingOptions>;
  /** Raw validation windows; else the tail of `windows` (see `validationFraction`). */
  validation?: WindowBatch;
  version?: string;
}

export interface FittedWindowVae {
  model: VaeWindowModel;
  result: TrainingResult;
  trainingOptions: VaeTrainingOptions;
}

export function fitWindowVae(options: FitWindowVaeOptions): FittedWindowVae {
  const { windows } = options;
  const trainingOptions: VaeTrainingOptions = { ...DEFAULT_TRAINING_OPTIONS, ...options.training };
  const scaler = ChannelScaler.fit(windows.data, windows.channels);
  const scale = (batch: WindowBatch): WindowBatch => ({ ...batch, data: scaler.transform(batch.data) });
  const vae = TimeSeriesVae.create({ ...options.model, steps: windows.steps, channels: windows.channels });
  try {
    const result = trainVae(vae, scale(windows), {
      ...trainingOptions,
      validation: options.validation ? scale(options.validation) : undefined,
    });
    const model = new VaeWindowModel(vae, scaler, options.channelNames, options.version ?? 'unsaved');
    return { model, result, trainingOptions };
  } catch (error) {
    vae.dispose();
    throw error;
  }
}

/** Scores any number of windows in micro-batches (bounded memory). */
export function scoreWindows(model: WindowModel, windows: WindowBatch, batchSize = 256): Float32Array {
  const scores = new Float32Array(windows.batch);
  const size = windows.steps * windows.channels;
  for (let start = 0; start < windows.batch; start += batchSize) {
    const count = Math.min(batchSize, windows.batch - start);
    const part = model.score({
      data: windows.data.subarray(start * size, (start + count) * size),
      batch: count,
      steps: windows.steps,
      channels: windows.channels,
    });
    scores.set(part, start);
  }
  return scores;
}

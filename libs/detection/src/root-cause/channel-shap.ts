/**
 * SHAP values of a model's anomaly score over input channels: a channel "absent" from a coalition takes its
 * values from background windows (normal data), and v(S) is the mean score over the background, as in
 * KernelExplainer's interventional value function. Coalitions are scored in large batches through
 * `model.score`.
 *
 * @example
 *   const shap = channelShap(model, window, backgroundWindows, { maxCoalitions: 1024 });
 *   // shap.values[c]: how much channel c adds to the score; baseValue + Σ values = score(window)
 */
import type { WindowBatch, WindowModel } from '@vigil/ml';
import { kernelShap, type KernelShapOptions, type ShapleyValues } from './kernel-shap';
import { WindowShapeError } from './reconstruction-error';

export interface ChannelShapOptions extends KernelShapOptions {
  /** Windows per `model.score` call (bounds memory; default 512). */
  scoreBatchSize?: number;
}

export function channelShap(model: WindowModel, x: WindowBatch, background: WindowBatch, options: ChannelShapOptions = {}): ShapleyValues {
  const { steps, channels } = x;
  if (background.steps !== steps || background.channels !== channels || background.batch < 1) {
    throw new WindowShapeError(`background must be [≥1][${steps}][${channels}], got [${background.batch}][${background.steps}][${background.channels}]`);
  }
  const windowSize = steps * channels;
  const backgroundCount = background.batch;
  const scoreBatchSize = Math.max(options.scoreBatchSize ?? 512, backgroundCount);
  const coalitionsPerCall = Math.max(1, Math.floor(scoreBatchSize / backgroundCount));

  const value = (masks: Uint8Array, count: number): Float64Array => {
    const result = new Float64Array(count);
    for (let first = 0; first < count; first += coalitionsPerCall) {
      const inCall = Math.min(coalitionsPerCall, count - first);
      const data = new Float32Array(inCall * backgroundCount * windowSize);
      for (let k = 0; k < inCall; k++) {
        const mask = masks.subarray((first + k) * channels, (first + k + 1) * channels);
        for (let b = 0; b < backgroundCount; b++) {
          const target = (k * backgroundCount + b) * windowSize;
          data.set(background.data.subarray(b * windowSize, (b + 1) * windowSize), target);
          for (let t = 0; t < steps; t++) {
            for (let c = 0; c < channels; c++) if (mask[c]) data[target + t * channels + c] = x.data[t * channels + c]!;
          }
        }
      }
      const scores = model.score({ data, batch: inCall * backgroundCount, steps, channels });
      for (let k = 0; k < inCall; k++) {
        let sum = 0;
        for (let b = 0; b < backgroundCount; b++) sum += scores[k * backgroundCount + b]!;
        result[first + k] = sum / backgroundCount;
      }
    }
    return result;
  };
  return kernelShap({ players: channels, value }, options);
}

/**
 * The cheap root cause the live detector attaches to a flagged sensor window (worded by root-cause-summary.ts,
 * like the full report): the channels and time steps that
 * carry most of the squared reconstruction error, from the reconstruction the scoring pass already made (no
 * extra model call on the hot path).
 * The latent dimensions come from the caller (one batched decode per micro-batch). libs/detection's full
 * RootCauseReport adds KernelSHAP, which needs hundreds of model calls per window: that belongs off the hot path.
 */
import type { RootCauseSummary } from '@vigil/contracts';
import type { WindowModel } from '@vigil/ml';
import { describeChannels, describeLatents } from './root-cause-summary';

const TOP_CHANNELS = 3;
const TOP_STEPS = 5;

/**
 * `frame` and `recon` are one window `[steps][channels]` in raw units: the input and its reconstruction;
 * `topLatents` the latent dimensions that move its score most (libs/detection's latentSensitivities).
 */
export function explainSensorWindow(
  model: Pick<WindowModel, 'steps' | 'channels' | 'channelNames' | 'channelScale'>,
  frame: Float32Array,
  recon: Float32Array,
  topLatents: number[] = [],
): RootCauseSummary {
  const { steps, channels, channelNames } = model;
  const perChannel = new Float64Array(channels);
  const perStep = new Float64Array(steps);
  for (let s = 0; s < steps; s++) {
    for (let c = 0; c < channels; c++) {
      const e = ((frame[s * channels + c]! - recon[s * channels + c]!) / (model.channelScale?.[c] || 1)) ** 2;
      perChannel[c]! += e;
      perStep[s]! += e;
    }
  }
  const total = perChannel.reduce((a, b) => a + b, 0) || 1;
  const topChannels = [...perChannel]
    .map((e, c) => ({ name: channelNames[c] ?? `c${c}`, share: e / total }))
    .sort((a, b) => b.share - a.share)
    .slice(0, TOP_CHANNELS);
  const topTimeSteps = [...perStep]
    .map((e, s) => ({ s, e }))
    .filter((x) => x.e > 0)
    .sort((a, b) => b.e - a.e)
    .slice(0, TOP_STEPS)
    .map((x) => x.s)
    .sort((a, b) => a - b);
  const peakStep = topTimeSteps.length > 0 ? [...perStep].indexOf(Math.max(...perStep)) : undefined;
  const channelText = describeChannels(topChannels, peakStep, steps);
  const summary = channelText ? [channelText, describeLatents(topLatents)].filter(Boolean).join(' ') : 'No reconstruction error.';
  return { summary, topChannels, topTimeSteps, topLatents, modalityShares: { SENSOR: 1 } };
}

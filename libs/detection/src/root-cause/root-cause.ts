/**
 * Root-cause analysis of one flagged window: per-channel reconstruction error ranking, temporal profile,
 * latent sensitivity, optional KernelSHAP over channels and per-modality contributions, gathered into a
 * `RootCauseReport` with a short human-readable summary. Works on any `WindowModel`.
 *
 * @example
 *   const residualScale = calibrateResidualScale(model, normalWindows);        // once per model
 *   const report = analyseRootCause(model, window, { residualScale, threshold, background, modalities });
 *   console.log(report.summary);
 */
import type { WindowBatch, WindowModel } from '@vigil/ml';
import { channelShap, type ChannelShapOptions } from './channel-shap';
import { latentSensitivity, type LatentSensitivityOptions } from './latent-sensitivity';
import { rankDescending, reconstructionErrors, WindowShapeError } from './reconstruction-error';
import {
  type ChannelContribution,
  type ModalityContribution,
  type RootCauseReport,
  ROOT_CAUSE_REPORT_FORMAT,
  ROOT_CAUSE_REPORT_VERSION,
} from './root-cause-report';
import { summariseRootCause } from './root-cause-summary';

export interface ModalityChannels {
  modality: string;
  /** Channel indices of this modality in the model's input. */
  channels: number[];
}

export interface RootCauseOptions {
  /** Per-channel normal residual scale (calibrateResidualScale); without it raw squared errors are ranked. */
  residualScale?: ArrayLike<number>;
  /** The threshold the window was flagged against, for the report and summary. */
  threshold?: number;
  /** Normal windows for SHAP; SHAP is skipped without them. */
  background?: WindowBatch;
  shap?: ChannelShapOptions;
  latent?: LatentSensitivityOptions;
  /** Channel groups of a multimodal window. */
  modalities?: ModalityChannels[];
}

function share(values: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return Array.from(values, (v) => (total > 0 ? v / total : 0));
}

/** Analyses the first window of `x` (batch ≥ 1). */
export function analyseRootCause(model: WindowModel, x: WindowBatch, options: RootCauseOptions = {}): RootCauseReport {
  if (x.steps !== model.steps || x.channels !== model.channels) {
    throw new WindowShapeError(`window is [${x.steps}][${x.channels}], model expects [${model.steps}][${model.channels}]`);
  }
  const window: WindowBatch = { data: x.data.subarray(0, x.steps * x.channels), batch: 1, steps: x.steps, channels: x.channels };
  const score = model.score(window)[0]!;
  const { channelError, stepError } = reconstructionErrors(window, model.reconstruct(window), options.residualScale);

  const channelShares = share(channelError);
  const channels: ChannelContribution[] = rankDescending(channelError).map((channel, position) => ({
    channel,
    name: model.channelNames[channel] ?? `channel ${channel}`,
    error: channelError[channel]!,
    share: channelShares[channel]!,
    rank: position + 1,
  }));

  const shap = options.background ? channelShap(model, window, options.background, options.shap) : undefined;
  if (shap) for (const contribution of channels) contribution.shap = shap.values[contribution.channel]!;

  const modalities: ModalityContribution[] | undefined = options.modalities?.map(({ modality, channels: members }) => {
    for (const c of members) if (!(c >= 0 && c < x.channels)) throw new WindowShapeError(`modality ${modality} names channel ${c} of ${x.channels}`);
    return {
      modality,
      channels: [...members],
      errorShare: members.reduce((sum, c) => sum + channelShares[c]!, 0),
      ...(shap ? { shap: members.reduce((sum, c) => sum + shap.values[c]!, 0) } : {}),
    };
  });

  const report: Omit<RootCauseReport, 'summary'> = {
    format: ROOT_CAUSE_REPORT_FORMAT,
    version: ROOT_CAUSE_REPORT_VERSION,
    modelVersion: model.version,
    score,
    ...(options.threshold !== undefined ? { threshold: options.threshold } : {}),
    calibratedErrors: options.residualScale !== undefined,
    channels,
    temporal: { stepShare: share(stepError), peakSteps: rankDescending(stepError).slice(0, 3) },
    latent: latentSensitivity(model, window, { residualScale: options.residualScale, ...options.latent }),
    ...(shap ? { shap: { baseValue: shap.baseValue, fullValue: shap.fullValue, exact: shap.exact, coalitionsEvaluated: shap.coalitionsEvaluated } } : {}),
    ...(modalities ? { modalities } : {}),
  };
  return { ...report, summary: summariseRootCause(report) };
}

/**
 * The JSON a root-cause analysis produces for one flagged window (written with the anomaly to ClickHouse and
 * Kafka), versioned so readers can evolve with it.
 */
import type { LatentSensitivity } from './latent-sensitivity';

export const ROOT_CAUSE_REPORT_FORMAT = 'vigil.root-cause';
export const ROOT_CAUSE_REPORT_VERSION = 1;

export interface ChannelContribution {
  channel: number;
  name: string;
  /** Mean squared residual over the window, in units of the channel's normal residual when calibrated. */
  error: number;
  /** error / Σ errors. */
  share: number;
  /** 1 = largest error. */
  rank: number;
  /** SHAP value of the score for this channel, when computed. */
  shap?: number;
}

export interface ModalityContribution {
  modality: string;
  channels: number[];
  errorShare: number;
  /** Sum of the channels' SHAP values (their joint push on the score), when computed. */
  shap?: number;
}

export interface RootCauseReport {
  format: typeof ROOT_CAUSE_REPORT_FORMAT;
  version: typeof ROOT_CAUSE_REPORT_VERSION;
  modelVersion: string;
  score: number;
  threshold?: number;
  /** Whether channel errors are divided by the normal residual scale of each channel. */
  calibratedErrors: boolean;
  /** Sorted by error, largest first. */
  channels: ChannelContribution[];
  temporal: {
    /** Share of the window's error at each step, in time order. */
    stepShare: number[];
    /** Steps with the largest error, largest first (at most 3). */
    peakSteps: number[];
  };
  /** Sorted by sensitivity, largest first. */
  latent: LatentSensitivity[];
  shap?: { baseValue: number; fullValue: number; exact: boolean; coalitionsEvaluated: number };
  modalities?: ModalityContribution[];
  summary: string;
}

/**
 * The REST API's answers as the app reads them. They mirror services/api's `*.schemas.ts` (zod, Node-only);
 * the live types come straight from `@vigil/contracts/realtime`.
 */
import type { LiveModality, LiveResult } from '@vigil/contracts/realtime';

export type { LiveAlert, LiveModality, LiveResult, TelemetryTick } from '@vigil/contracts/realtime';

export interface RootCause {
  summary: string;
  topChannels: Array<{ name: string; share: number }>;
  topTimeSteps: number[];
  topLatents: number[];
  modalityShares: Record<string, number>;
}

/** One scorer's KernelSHAP explanation of a window (players: the sensor channels, or the fused model's modalities). */
export interface ShapReport {
  modality: string;
  modelVersion: string;
  score: number;
  threshold: number;
  baseValue: number;
  exact: boolean;
  coalitionsEvaluated: number;
  computeMs: number;
  summary: string;
  contributions: Array<{ name: string; value: number; share: number }>;
  processedAtMs: number;
}

export interface WindowDetail extends LiveResult {
  rootCause: RootCause | null;
  /** Null until the detector's root-cause worker has explained the window (flagged windows only, within a budget). */
  shap: ShapReport[] | null;
}

export interface AnomalyPage {
  items: LiveResult[];
  nextCursor: string | null;
}

export interface AnomalyFilters {
  deviceId?: string;
  modality?: LiveModality;
  verdict?: 'anomaly' | 'normal' | 'all';
  minScore?: number;
  from?: number;
  to?: number;
  limit?: number;
  cursor?: string;
}

export interface DeviceState {
  deviceId: string;
  lastSeenMs: number;
  online: boolean;
  modalities: LiveModality[];
  currentThreshold: number;
  anomalyRate: number;
  windowsLastHour: number;
}

export interface ModelVersion {
  version: string;
  live: boolean;
  kind: string | null;
  createdAt: string | null;
  metrics: Record<string, number>;
  calibration: { method: string; threshold: number } | null;
}

export interface ModelInfo {
  name: string;
  liveVersion: string;
  versions: ModelVersion[];
  card?: string | null;
}

export interface ApiDriftEvent {
  eventId: string;
  detectedAtMs: number;
  deviceId: string | null;
  modality: LiveModality;
  test: string;
  statistic: number;
  pValue: number | null;
  threshold: number;
  /** Absent on live socket events, which are all drifted; false for a window test that did not flag (REST `drifted=all`). */
  drifted?: boolean;
  referenceStartMs: number;
  referenceEndMs: number;
  currentStartMs: number;
  currentEndMs: number;
  modelVersion: string;
}

export interface Feedback {
  feedbackId: string;
  createdAtMs: number;
  deviceId: string;
  kind: 'CONFIRM' | 'DISMISS' | 'LABEL_FAULT';
  windowStartMs: number | null;
  rangeStartMs: number;
  rangeEndMs: number;
  faultType: string | null;
  modelVersion: string | null;
  operator: string;
  reason: string;
}

export type FeedbackRequest = { kind: 'CONFIRM' | 'DISMISS'; deviceId: string; windowStartMs: number; reason?: string };

/** `/v1/windows/:deviceId/:windowStartMs/data`: the window's raw events (read back from Kafka), re-scored. */
export interface WindowData {
  deviceId: string;
  windowStartMs: number;
  windowEndMs: number;
  sources: Array<{ topic: string; read: number; kept: number }>;
  sensor: {
    modelVersion: string;
    score: number;
    readings: number;
    missingChannels: string[];
    timesMs: number[];
    channels: Array<{ name: string; values: number[]; reconstruction: number[] }>;
  } | null;
  audio: { sampleRate: number; coverage: number; frameMs: number; mels: number; db: number[][] } | null;
  image: {
    modelVersion: string;
    frameTimeMs: number;
    width: number;
    height: number;
    pixels: number[][];
    map: number[][];
    score: number;
    threshold: number;
    isAnomaly: boolean;
  } | null;
}

export interface TrainingRun {
  model: string;
  version: string;
  live: boolean;
  kind: string | null;
  createdAt: string | null;
  epochs: number;
  bestEpoch: number | null;
  seconds: number | null;
  metrics: Record<string, number>;
  hasEvaluationCurves: boolean;
}

export interface TrainingEpoch {
  epoch: number;
  loss: number | null;
  validationLoss: number | null;
  reconstruction: number | null;
  kl: number | null;
}

export interface TrainingDetail extends TrainingRun {
  history: TrainingEpoch[];
  evaluation: {
    split: string;
    positives: number;
    negatives: number;
    rocAuc: number;
    prAuc: number;
    roc: Array<{ fpr: number; tpr: number }>;
    pr: Array<{ recall: number; precision: number }>;
  } | null;
}

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

export interface WindowDetail extends LiveResult {
  rootCause: RootCause | null;
  shap: unknown;
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

/** `vigil.anomaly_results` rows → API objects (ClickHouse's JSON output quotes 64-bit integers). */
import type { AnomalyResult } from '@vigil/contracts';
import type { z } from 'zod';
import type { anomalyResultSchema } from '../http/api-schemas';
import type { ShapReport } from './anomaly.schemas';

export type ApiResult = z.infer<typeof anomalyResultSchema>;

export interface ResultRow {
  device_id: string;
  window_start_ms: string | number;
  window_end_ms: string | number;
  model_version: string;
  modalities: string[];
  modality_scores: number[];
  modality_thresholds: number[];
  missing_modalities: string[];
  fused_score: number;
  fused_threshold: number;
  is_anomaly: number;
  root_cause_summary: string;
  processed_at_ms: string | number;
  root_cause_json?: string;
}

type Modality = ApiResult['missingModalities'][number];

export function fromRow(r: ResultRow): ApiResult {
  return {
    deviceId: r.device_id,
    windowStartMs: Number(r.window_start_ms),
    windowEndMs: Number(r.window_end_ms),
    modelVersion: r.model_version,
    modalities: r.modalities.map((m, i) => ({
      modality: m as Modality,
      score: Number(r.modality_scores[i]),
      threshold: Number(r.modality_thresholds[i]),
      isAnomaly: Number(r.modality_scores[i]) > Number(r.modality_thresholds[i]) && Number(r.modality_thresholds[i]) > 0,
    })),
    missingModalities: r.missing_modalities as Modality[],
    fusedScore: Number(r.fused_score),
    fusedThreshold: Number(r.fused_threshold),
    isAnomaly: Number(r.is_anomaly) === 1,
    rootCauseSummary: r.root_cause_summary === '' ? null : r.root_cause_summary,
    processedAtMs: Number(r.processed_at_ms),
  };
}

/** A result off the topic, in the same shape as one read from ClickHouse. */
export function fromRecord(r: AnomalyResult): ApiResult {
  return {
    deviceId: r.deviceId,
    windowStartMs: r.windowStartMs,
    windowEndMs: r.windowEndMs,
    modelVersion: r.modelVersion,
    modalities: r.modalities.map((m) => ({ ...m, threshold: Number.isFinite(m.threshold) ? m.threshold : 0 })),
    missingModalities: r.missingModalities,
    fusedScore: r.fusedScore,
    fusedThreshold: Number.isFinite(r.fusedThreshold) ? r.fusedThreshold : 0,
    isAnomaly: r.isAnomaly,
    rootCauseSummary: r.rootCause?.summary ?? null,
    processedAtMs: r.processedAtMs,
  };
}

/** A `shap_explanations` row (numbers may arrive as strings: ClickHouse's JSON output quotes 64-bit integers). */
export interface ShapRow {
  modality: string;
  model_version: string;
  score: number;
  threshold: number;
  base_value: number;
  exact: number | boolean;
  coalitions_evaluated: number | string;
  compute_ms: number;
  summary: string;
  contributions_json: string;
  processed_at_ms: number | string;
}

export function shapFromRow(r: ShapRow): ShapReport {
  return {
    modality: r.modality,
    modelVersion: r.model_version,
    score: Number(r.score),
    threshold: Number(r.threshold),
    baseValue: Number(r.base_value),
    exact: Number(r.exact) === 1,
    coalitionsEvaluated: Number(r.coalitions_evaluated),
    computeMs: Number(r.compute_ms),
    summary: r.summary,
    contributions: JSON.parse(r.contributions_json) as ShapReport['contributions'],
    processedAtMs: Number(r.processed_at_ms),
  };
}

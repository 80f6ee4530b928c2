/** The only file that writes detector output to ClickHouse. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { AnomalyResult, LatentVector, ShapExplanation } from '@vigil/contracts';

export class ResultsRepository {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  async insert(results: AnomalyResult[], latents: LatentVector[]): Promise<void> {
    await Promise.all([
      results.length === 0
        ? undefined
        : this.client.insert({ table: `${this.database}.anomaly_results`, format: 'JSONEachRow', values: results.map(resultRow) }),
      latents.length === 0
        ? undefined
        : this.client.insert({ table: `${this.database}.latent_vectors`, format: 'JSONEachRow', values: latents.map(latentRow) }),
    ]);
  }

  /** The root-cause worker's explanations, beside the results they follow (the API joins them by window). */
  async insertExplanations(explanations: ShapExplanation[]): Promise<void> {
    if (explanations.length === 0) return;
    await this.client.insert({ table: `${this.database}.shap_explanations`, format: 'JSONEachRow', values: explanations.map(explanationRow) });
  }
}

function explanationRow(e: ShapExplanation) {
  return {
    device_id: e.deviceId,
    window_start_ms: e.windowStartMs,
    window_end_ms: e.windowEndMs,
    modality: e.modality,
    model_version: e.modelVersion,
    score: finiteOr(e.score, 0),
    threshold: finiteOr(e.threshold, 0),
    base_value: finiteOr(e.baseValue, 0),
    exact: e.exact ? 1 : 0,
    coalitions_evaluated: e.coalitionsEvaluated,
    compute_ms: e.computeMs,
    summary: e.summary,
    contributions_json: JSON.stringify(e.contributions),
    processed_at_ms: e.processedAtMs,
  };
}

function resultRow(r: AnomalyResult) {
  return {
    device_id: r.deviceId,
    window_start_ms: r.windowStartMs,
    window_end_ms: r.windowEndMs,
    model_version: r.modelVersion,
    modalities: r.modalities.map((m) => m.modality),
    modality_scores: r.modalities.map((m) => m.score),
    modality_thresholds: r.modalities.map((m) => finiteOr(m.threshold, 0)),
    missing_modalities: r.missingModalities,
    fused_score: r.fusedScore,
    fused_threshold: finiteOr(r.fusedThreshold, 0),
    is_anomaly: r.isAnomaly ? 1 : 0,
    root_cause_summary: r.rootCause?.summary ?? '',
    root_cause_json: r.rootCause ? JSON.stringify(r.rootCause) : '',
    processed_at_ms: r.processedAtMs,
    sensor_fault_channels: r.sensorFaults.map((f) => f.channel),
    sensor_fault_kinds: r.sensorFaults.map((f) => f.kind),
  };
}

function latentRow(l: LatentVector) {
  return {
    device_id: l.deviceId,
    window_start_ms: l.windowStartMs,
    window_end_ms: l.windowEndMs,
    modality: l.modality,
    model_version: l.modelVersion,
    mean: l.mean,
    log_var: l.logVar,
    score: l.score,
    processed_at_ms: Date.now(),
  };
}

/** ClickHouse's JSON input rejects NaN/Infinity. */
function finiteOr(x: number, fallback: number): number {
  return Number.isFinite(x) ? x : fallback;
}

/** In-memory stand-ins for the ClickHouse/Kafka repositories, for HTTP specs that need no servers. */
import type { OperatorFeedback } from '@vigil/contracts';
import type { ReferenceWindow } from '@vigil/drift';
import type { AnomaliesRepository, DeviceStateRow, ResultPage } from '../anomalies/anomalies.repository';
import { decodeCursor } from '../anomalies/anomaly-query';
import type { AnomalyQuery } from '../anomalies/anomaly.schemas';
import type { ResultRow, ShapRow } from '../anomalies/result-rows';
import type { DriftRepository } from '../drift/drift.repository';
import type { ApiDriftEvent, DriftQuery } from '../drift/drift.schemas';
import type { FeedbackRepository } from '../feedback/feedback.repository';

export function resultRow(deviceId: string, windowStartMs: number, fusedScore: number, threshold = 2): ResultRow {
  const isAnomaly = fusedScore > threshold;
  return {
    device_id: deviceId,
    window_start_ms: String(windowStartMs),
    window_end_ms: String(windowStartMs + 3000),
    model_version: 'pump-synthetic@v1',
    modalities: ['SENSOR'],
    modality_scores: [fusedScore],
    modality_thresholds: [threshold],
    missing_modalities: ['AUDIO'],
    fused_score: fusedScore,
    fused_threshold: threshold,
    is_anomaly: isAnomaly ? 1 : 0,
    root_cause_summary: isAnomaly ? 'vibration_rms carries 80% of the error' : '',
    processed_at_ms: String(windowStartMs + 3100),
    root_cause_json: isAnomaly
      ? JSON.stringify({
          summary: 'vibration_rms carries 80% of the error',
          topChannels: [{ name: 'vibration_rms', share: 0.8 }],
          topTimeSteps: [3],
          topLatents: [1],
          modalityShares: { SENSOR: 1 },
        })
      : '',
  };
}

/** Filters like the SQL does, so paging and filters can be exercised end to end over HTTP. */
export class InMemoryAnomalies implements Pick<AnomaliesRepository, keyof AnomaliesRepository> {
  constructor(
    readonly rows: ResultRow[],
    /** Explanations by `${deviceId} ${windowStartMs}`. */
    readonly explanations: Record<string, ShapRow[]> = {},
  ) {}

  async shap(deviceId: string, windowStartMs: number): Promise<ShapRow[]> {
    return this.explanations[`${deviceId} ${windowStartMs}`] ?? [];
  }

  async page(q: AnomalyQuery): Promise<ResultPage> {
    const c = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    const rows = this.rows
      .filter((r) => q.deviceId === undefined || r.device_id === q.deviceId)
      .filter((r) => q.modality === undefined || r.modalities.includes(q.modality))
      .filter((r) => q.verdict === 'all' || (q.verdict === 'anomaly') === (r.is_anomaly === 1))
      .filter((r) => (q.from === undefined || Number(r.window_start_ms) >= q.from) && (q.to === undefined || Number(r.window_start_ms) < q.to))
      .filter((r) => (q.minScore === undefined || r.fused_score >= q.minScore) && (q.maxScore === undefined || r.fused_score <= q.maxScore))
      .filter((r) => !c || Number(r.window_start_ms) < c.w || (Number(r.window_start_ms) === c.w && r.device_id < c.d))
      .sort((a, b) => Number(b.window_start_ms) - Number(a.window_start_ms) || (a.device_id < b.device_id ? 1 : -1))
      .slice(0, q.limit + 1);
    const last = rows[q.limit - 1];
    return { rows: rows.slice(0, q.limit), next: rows.length > q.limit && last ? { w: Number(last.window_start_ms), d: last.device_id } : undefined };
  }

  async window(deviceId: string, windowStartMs: number): Promise<ResultRow | undefined> {
    return this.rows.find((r) => r.device_id === deviceId && Number(r.window_start_ms) === windowStartMs);
  }

  async recent(deviceIds: readonly string[], perDevice: number): Promise<ResultRow[]> {
    return deviceIds.flatMap((d) =>
      this.rows
        .filter((r) => r.device_id === d)
        .sort((a, b) => Number(b.window_start_ms) - Number(a.window_start_ms))
        .slice(0, perDevice),
    );
  }

  async deviceStates(sinceMs: number, deviceId?: string): Promise<DeviceStateRow[]> {
    const ids = [...new Set(this.rows.map((r) => r.device_id))].filter((d) => deviceId === undefined || d === deviceId).sort();
    return ids.map((id) => {
      const rows = this.rows.filter((r) => r.device_id === id).sort((a, b) => Number(a.window_start_ms) - Number(b.window_start_ms));
      const recent = rows.filter((r) => Number(r.window_start_ms) >= sinceMs);
      return {
        device_id: id,
        last_window_end_ms: rows.at(-1)!.window_end_ms,
        modalities: [...new Set(rows.flatMap((r) => r.modalities))],
        threshold: rows.at(-1)!.fused_threshold,
        windows: recent.length,
        anomalies: recent.filter((r) => r.is_anomaly === 1).length,
      };
    });
  }

  async ping(): Promise<boolean> {
    return true;
  }
}

export class InMemoryFeedback implements Pick<FeedbackRepository, keyof FeedbackRepository> {
  readonly saved: OperatorFeedback[] = [];

  async save(f: OperatorFeedback): Promise<void> {
    this.saved.push(f);
  }

  async forDevice(deviceId: string, limit: number): Promise<OperatorFeedback[]> {
    return this.saved
      .filter((f) => f.deviceId === deviceId)
      .reverse()
      .slice(0, limit);
  }
}

export class InMemoryDrift implements Pick<DriftRepository, keyof DriftRepository> {
  constructor(
    readonly rows: ApiDriftEvent[],
    /** Stored references by `${modality} ${modelVersion}`. */
    readonly references: Record<string, ReferenceWindow> = {},
  ) {}

  async reference(modality: string, modelVersion: string): Promise<ReferenceWindow | null> {
    return this.references[`${modality} ${modelVersion}`] ?? null;
  }

  async events(q: DriftQuery): Promise<ApiDriftEvent[]> {
    return this.rows
      .filter(
        (e) =>
          (q.drifted === 'all' || e.drifted) && (q.modality === undefined || e.modality === q.modality) && (q.from === undefined || e.detectedAtMs >= q.from),
      )
      .sort((a, b) => b.detectedAtMs - a.detectedAtMs)
      .slice(0, q.limit);
  }
}

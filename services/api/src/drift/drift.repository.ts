/**
 * The only file that reads drift data from ClickHouse: drift events (the drift service's `drift_events` rows that
 * drifted) and the reference window the drift service stored per model version (`drift_references`).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { ReferenceWindow } from '@vigil/drift';
import { sqlString } from '../anomalies/anomaly-query';
import type { ApiDriftEvent, DriftQuery } from './drift.schemas';

interface DriftRow {
  event_id: string;
  detected_at_ms: string | number;
  device_id: string | null;
  modality: ApiDriftEvent['modality'];
  model_version: string;
  test: string;
  statistic: number;
  p_value: number | null;
  threshold: number;
  drifted: number | boolean;
  reference_start_ms: string | number;
  reference_end_ms: string | number;
  current_start_ms: string | number;
  current_end_ms: string | number;
}

export class DriftRepository {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  async events(q: DriftQuery): Promise<ApiDriftEvent[]> {
    const where = q.drifted === 'all' ? ['1'] : ['drifted = 1'];
    if (q.modality !== undefined) where.push(`modality = ${sqlString(q.modality)}`);
    if (q.deviceId !== undefined) where.push(`device_id = ${sqlString(q.deviceId)}`);
    if (q.from !== undefined) where.push(`detected_at_ms >= ${Math.floor(q.from)}`);
    const rs = await this.client.query({
      query: `SELECT * FROM ${this.database}.drift_events FINAL WHERE ${where.join(' AND ')} ORDER BY detected_at_ms DESC LIMIT ${Math.floor(q.limit)}`,
      format: 'JSONEachRow',
    });
    return ((await rs.json()) as DriftRow[]).map((r) => ({
      eventId: r.event_id,
      detectedAtMs: Number(r.detected_at_ms),
      deviceId: r.device_id,
      modality: r.modality,
      test: r.test,
      statistic: Number(r.statistic),
      pValue: r.p_value === null ? null : Number(r.p_value),
      threshold: Number(r.threshold),
      drifted: Number(r.drifted) === 1,
      referenceStartMs: Number(r.reference_start_ms),
      referenceEndMs: Number(r.reference_end_ms),
      currentStartMs: Number(r.current_start_ms),
      currentEndMs: Number(r.current_end_ms),
      modelVersion: r.model_version,
    }));
  }

  /** The drift service's stored reference of one model version, or null when it has none yet. */
  async reference(modality: string, modelVersion: string): Promise<ReferenceWindow | null> {
    const rs = await this.client.query({
      query: `SELECT reference_json FROM ${this.database}.drift_references FINAL WHERE modality = ${sqlString(modality)} AND model_version = ${sqlString(modelVersion)} LIMIT 1`,
      format: 'JSONEachRow',
    });
    const rows = (await rs.json()) as { reference_json: string }[];
    return rows[0] ? (JSON.parse(rows[0].reference_json) as ReferenceWindow) : null;
  }
}

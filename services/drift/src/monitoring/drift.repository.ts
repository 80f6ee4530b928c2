/**
 * The only file of the drift service that talks to ClickHouse: window test rows (`drift_events`) and the
 * reference window per model version (`drift_references`), tables of schemas/clickhouse/005_drift.sql.
 * ClickHouse 18.16 has no query parameters, so the two strings in the one SELECT are escaped here.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { ReferenceWindow } from '@vigil/drift';
import type { DriftStore } from './drift-ports';
import type { DriftRow } from './drift-rows';

/** A ClickHouse string literal: backslashes and quotes escaped. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export class DriftRepository implements DriftStore {
  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
    private readonly now: () => number = Date.now,
  ) {}

  async saveRows(rows: DriftRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.client.insert({ table: `${this.database}.drift_events`, format: 'JSONEachRow', values: rows.map(driftRow) });
  }

  async loadReference(modality: string, modelVersion: string): Promise<ReferenceWindow | null> {
    const result = await this.client.query({
      query: `SELECT reference_json FROM ${this.database}.drift_references FINAL WHERE modality = ${sqlString(modality)} AND model_version = ${sqlString(modelVersion)} LIMIT 1`,
      format: 'JSONEachRow',
    });
    const rows = (await result.json()) as { reference_json: string }[];
    return rows[0] ? (JSON.parse(rows[0].reference_json) as ReferenceWindow) : null;
  }

  async saveReference(modality: string, reference: ReferenceWindow): Promise<void> {
    await this.client.insert({
      table: `${this.database}.drift_references`,
      format: 'JSONEachRow',
      values: [{ modality, model_version: reference.modelVersion, created_at_ms: this.now(), reference_json: JSON.stringify(reference) }],
    });
  }
}

function driftRow(r: DriftRow) {
  return {
    event_id: r.eventId,
    detected_at_ms: r.detectedAtMs,
    device_id: r.deviceId,
    modality: r.modality,
    model_version: r.modelVersion,
    test: r.test,
    statistic: Number.isFinite(r.statistic) ? r.statistic : 0,
    p_value: r.pValue,
    threshold: r.threshold,
    drifted: r.drifted ? 1 : 0,
    reference_start_ms: r.referenceStartMs,
    reference_end_ms: r.referenceEndMs,
    current_start_ms: r.currentStartMs,
    current_end_ms: r.currentEndMs,
  };
}

/** The only file that reads detector results from ClickHouse. */
import type { ClickHouseClient } from '@clickhouse/client';
import { anomalyKeysSql, anomalyRowsSql, type Cursor, RESULT_COLUMNS, sqlString, windowSql } from './anomaly-query';
import type { AnomalyQuery } from './anomaly.schemas';
import { SingleFlight } from './single-flight';
import type { ResultRow, ShapRow } from './result-rows';

export interface DeviceStateRow {
  device_id: string;
  last_window_end_ms: string | number;
  modalities: string[];
  threshold: number;
  windows: string | number;
  anomalies: string | number;
}

/** One page: the rows, and where the next page starts (undefined: this is the last). */
export interface ResultPage {
  rows: ResultRow[];
  next?: Cursor;
}

type LatestRow = { device_id: string; window_start_ms: string | number } & { [K in keyof ResultRow as `latest_${K & string}`]?: ResultRow[K] };

export class AnomaliesRepository {
  private readonly pages = new SingleFlight<ResultPage>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  /** Overlapping identical page requests share one pair of queries. */
  page(q: AnomalyQuery): Promise<ResultPage> {
    const keysSql = anomalyKeysSql(this.database, q);
    return this.pages.run(keysSql, () => this.readPage(keysSql, q));
  }

  private async readPage(keysSql: string, q: AnomalyQuery): Promise<ResultPage> {
    const keys = (await this.rows<{ device_id: string; window_start_ms: string }>(keysSql)).map((k) => ({
      deviceId: k.device_id,
      windowStartMs: Number(k.window_start_ms),
    }));
    const pageKeys = keys.slice(0, q.limit);
    const last = pageKeys.at(-1);
    const next = keys.length > q.limit && last ? { w: last.windowStartMs, d: last.deviceId } : undefined;
    if (pageKeys.length === 0) return { rows: [] };
    const latest = await this.rows<LatestRow>(anomalyRowsSql(this.database, pageKeys, q));
    const rows = latest.map((r) => ({
      device_id: r.device_id,
      window_start_ms: r.window_start_ms,
      window_end_ms: r.latest_window_end_ms!,
      model_version: r.latest_model_version!,
      modalities: r.latest_modalities!,
      modality_scores: r.latest_modality_scores!,
      modality_thresholds: r.latest_modality_thresholds!,
      missing_modalities: r.latest_missing_modalities!,
      fused_score: r.latest_fused_score!,
      fused_threshold: r.latest_fused_threshold!,
      is_anomaly: r.latest_is_anomaly!,
      root_cause_summary: r.latest_root_cause_summary!,
      processed_at_ms: r.latest_processed_at_ms!,
    }));
    return { rows, next };
  }

  async window(deviceId: string, windowStartMs: number): Promise<ResultRow | undefined> {
    return (await this.rows<ResultRow>(windowSql(this.database, deviceId, windowStartMs)))[0];
  }

  /** The root-cause worker's explanations of one window (schemas/clickhouse/007_shap_explanations.sql). */
  shap(deviceId: string, windowStartMs: number): Promise<ShapRow[]> {
    return this.rows<ShapRow>(
      `SELECT modality, model_version, score, threshold, base_value, exact, coalitions_evaluated, compute_ms, summary, contributions_json, processed_at_ms` +
        ` FROM ${this.database}.shap_explanations FINAL WHERE device_id = ${sqlString(deviceId)} AND window_start_ms = ${Math.floor(windowStartMs)} ORDER BY modality`,
    );
  }

  /** The latest `perDevice` results of each device (the live snapshot), newest first. */
  recent(deviceIds: readonly string[], perDevice: number): Promise<ResultRow[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return this.rows<ResultRow>(
      `SELECT ${RESULT_COLUMNS} FROM ${this.database}.anomaly_results FINAL WHERE device_id IN (${deviceIds.map(sqlString).join(', ')})` +
        ` ORDER BY device_id, window_start_ms DESC LIMIT ${Math.floor(perDevice)} BY device_id`,
    );
  }

  /** Per device: last window, modalities seen, latest threshold, and windows/anomalies since `sinceMs`. */
  deviceStates(sinceMs: number, deviceId?: string): Promise<DeviceStateRow[]> {
    const where = deviceId === undefined ? '' : `WHERE device_id = ${sqlString(deviceId)}`;
    return this.rows<DeviceStateRow>(
      `SELECT device_id, max(window_end_ms) AS last_window_end_ms, groupUniqArrayArray(modalities) AS modalities,` +
        ` argMax(fused_threshold, window_start_ms) AS threshold, countIf(window_start_ms >= ${Math.floor(sinceMs)}) AS windows,` +
        ` countIf(window_start_ms >= ${Math.floor(sinceMs)} AND is_anomaly = 1) AS anomalies` +
        ` FROM ${this.database}.anomaly_results ${where} GROUP BY device_id ORDER BY device_id`,
    );
  }

  async ping(): Promise<boolean> {
    return (await this.client.ping()).success;
  }

  private async rows<T>(query: string): Promise<T[]> {
    const rs = await this.client.query({ query, format: 'JSONEachRow' });
    return (await rs.json()) as T[];
  }
}

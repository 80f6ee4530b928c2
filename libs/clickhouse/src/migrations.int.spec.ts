import { createClient } from '@clickhouse/client';
import { uniqueTableName } from '@vigil/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadMigrations, migrate } from './migrations';

const stack = inject('stack');

describe('ClickHouse migrations (real server)', () => {
  const client = createClient({ url: stack.clickhouseUrl });
  const database = uniqueTableName('mig');
  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.close();
  });

  it('applies every migration once and is idempotent', async () => {
    const names = loadMigrations().map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(await migrate(client, { database })).toEqual(names);
    expect(await migrate(client, { database })).toEqual([]);
  });

  it('keeps one row per window when a window is written twice (replay after a crash)', async () => {
    await migrate(client, { database });
    const row = (processedAtMs: number, score: number) => ({
      device_id: 'dev-1',
      window_start_ms: 1_767_268_800_000,
      window_end_ms: 1_767_268_803_000,
      model_version: 'm@1',
      modalities: ['SENSOR'],
      modality_scores: [score],
      modality_thresholds: [2],
      missing_modalities: [],
      fused_score: score,
      fused_threshold: 2,
      is_anomaly: 0,
      root_cause_summary: '',
      root_cause_json: '',
      processed_at_ms: processedAtMs,
    });
    await client.insert({ table: `${database}.anomaly_results`, format: 'JSONEachRow', values: [row(1, 1.5)] });
    await client.insert({ table: `${database}.anomaly_results`, format: 'JSONEachRow', values: [row(2, 1.6)] });
    const rs = await client.query({
      query: `SELECT device_id, fused_score, toString(window_start) AS ws FROM ${database}.anomaly_results FINAL`,
      format: 'JSONEachRow',
    });
    expect(await rs.json()).toEqual([{ device_id: 'dev-1', fused_score: 1.6, ws: '2026-01-01 12:00:00' }]);
  });
});

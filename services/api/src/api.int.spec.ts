/**
 * The API against the real ClickHouse and Kafka (its own database and topic suffix): the anomalies SQL with every
 * filter and the cursor, SQL-injection strings in every filter (4xx or empty, never an error), devices from real
 * rows, drift events from the drift service's table, and operator feedback as an Avro record on the topic plus a
 * row in ClickHouse.
 */
import { createClient } from '@clickhouse/client';
import type { OperatorFeedback } from '@vigil/contracts';
import { AvroSerde, createKafka, readTopicToEnd } from '@vigil/kafka';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiTopics } from './api.module';
import { type ApiHarness, startApiHarness } from './testing/api-harness';
import { resultRow } from './testing/in-memory-repositories';

const stack = inject('stack');
const database = uniqueTableName('api');
const suffix = `.${uniqueName('api')}`;
const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const ch = createClient({ url: stack.clickhouseUrl });
let api: ApiHarness;

/** Strings that break naive SQL (and a few that break naive parsers). */
export const INJECTIONS = [
  "' OR 1=1 --",
  "x'); DROP TABLE anomaly_results; --",
  '1 OR 1=1',
  "\\' OR ''='",
  '1; SELECT * FROM system.users',
  '%27%20OR%201%3D1',
  '0x27',
  '${7*7}',
  '"',
  "dev-0001' AND sleep(3) --",
  '\u0000',
  'NaN',
  'Infinity',
  '-1e309',
  '1e400',
];
const FILTERS = ['deviceId', 'modality', 'from', 'to', 'verdict', 'minScore', 'maxScore', 'limit', 'cursor'];

beforeAll(async () => {
  api = await startApiHarness(
    {
      VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
      VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: database,
      API_TOPIC_SUFFIX: suffix,
    },
    { liveTopics: false },
  );
  const rows = Array.from({ length: 60 }, (_, i) => resultRow(`dev-000${i % 3}`, T0 + Math.floor(i / 3) * 1000, i % 4 === 0 ? 5 + i / 100 : 1));
  await ch.insert({ table: `${database}.anomaly_results`, format: 'JSONEachRow', values: rows });
  await ch.insert({
    table: `${database}.drift_events`,
    format: 'JSONEachRow',
    values: [0, 1].map((drifted) => ({
      event_id: `e${drifted}`,
      detected_at_ms: T0 + drifted,
      device_id: null,
      modality: 'SENSOR',
      model_version: 'pump-synthetic@v1',
      test: 'MMD',
      statistic: 0.3,
      p_value: 0.001,
      threshold: 0.05,
      drifted,
      reference_start_ms: 0,
      reference_end_ms: 1,
      current_start_ms: 2,
      current_end_ms: 3,
    })),
  });
});

afterAll(async () => {
  await api?.close();
  await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
  await ch.close();
});

describe('anomalies over ClickHouse', () => {
  it('filters and pages with the cursor through every anomalous window exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api.call(`/v1/anomalies?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.body as { items: Array<{ deviceId: string; windowStartMs: number; isAnomaly: boolean }>; nextCursor: string | null };
      expect(page.items.every((i) => i.isAnomaly)).toBe(true);
      seen.push(...page.items.map((i) => `${i.deviceId}@${i.windowStartMs}`));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.length).toBe(15);
    expect(new Set(seen).size).toBe(15);
    const filtered = (await api.call(`/v1/anomalies?deviceId=dev-0000&modality=SENSOR&from=${T0}&to=${T0 + 10_000}&minScore=5&maxScore=5.3`)).body as {
      items: Array<{ fusedScore: number }>;
    };
    expect(filtered.items.map((i) => i.fusedScore)).toEqual([5.24, 5.12, 5]);
    const window = (await api.call(`/v1/anomalies/dev-0000/${T0}`)).body as { rootCause: { summary: string } };
    expect(window.rootCause.summary).toMatch(/vibration_rms/);
  });

  it("joins the root-cause worker's KernelSHAP explanations to their window, the newest per scorer", async () => {
    const explanation = (processedAtMs: number, value: number) => ({
      ...{ device_id: 'dev-0001', window_start_ms: T0 + 1000, window_end_ms: T0 + 4000, modality: 'SENSOR', model_version: 'pump-synthetic@v1' },
      ...{ score: 5, threshold: 1.2, base_value: 1, exact: 1, coalitions_evaluated: 128, compute_ms: 12.5, summary: 'vibration_rms adds most' },
      contributions_json: JSON.stringify([
        { name: 'vibration_rms', value, share: 0.75 },
        { name: 'flow', value: 4 - value, share: 0.25 },
      ]),
      processed_at_ms: processedAtMs,
    });
    // A window explained twice (a replayed job): FINAL keeps the newer row.
    await ch.insert({ table: `${database}.shap_explanations`, format: 'JSONEachRow', values: [explanation(T0 + 5000, 2), explanation(T0 + 6000, 3)] });
    const explained = (await api.call(`/v1/anomalies/dev-0001/${T0 + 1000}`)).body as { shap: unknown };
    expect(explained.shap).toEqual([
      {
        ...{ modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', score: 5, threshold: 1.2, baseValue: 1, exact: true, coalitionsEvaluated: 128 },
        ...{ computeMs: 12.5, summary: 'vibration_rms adds most', processedAtMs: T0 + 6000 },
        contributions: [
          { name: 'vibration_rms', value: 3, share: 0.75 },
          { name: 'flow', value: 1, share: 0.25 },
        ],
      },
    ]);
    expect(((await api.call(`/v1/anomalies/dev-0002/${T0 + 1000}`)).body as { shap: unknown }).shap).toBeNull();
  });

  it('answers SQL-injection strings in every filter with a 4xx or an empty page, never an error', async () => {
    const outcomes = new Map<string, number>();
    for (const field of FILTERS) {
      for (const value of INJECTIONS) {
        const res = await api.call(`/v1/anomalies?${field}=${encodeURIComponent(value)}`);
        outcomes.set(`${res.status}`, (outcomes.get(`${res.status}`) ?? 0) + 1);
        if (res.status === 200) expect((res.body as { items: unknown[] }).items, `${field}=${value}`).toEqual([]);
        else {
          expect(res.status, `${field}=${value}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${field}=${value}`).toBeLessThan(500);
        }
      }
      const path = await api.call(`/v1/anomalies/${encodeURIComponent("dev' OR 1=1 --")}/1`);
      expect(path.status).toBe(400);
    }
    console.log(`injection outcomes: ${[...outcomes].map(([s, n]) => `${s}×${n}`).join(', ')}`);
    const [{ n }] = (await (await ch.query({ query: `SELECT count() AS n FROM ${database}.anomaly_results`, format: 'JSONEachRow' })).json()) as [
      { n: string },
    ];
    expect(Number(n)).toBe(60); // the table is still there, untouched
  });
});

describe('devices and drift over ClickHouse', () => {
  it('derives device state from the rows and lists only drifted windows as drift events', async () => {
    const devices = (await api.call('/v1/devices')).body as { items: Array<{ deviceId: string; lastSeenMs: number; modalities: string[] }> };
    expect(devices.items.map((d) => d.deviceId)).toEqual(['dev-0000', 'dev-0001', 'dev-0002']);
    expect(devices.items[0]).toMatchObject({ lastSeenMs: T0 + 19_000 + 3000, modalities: ['SENSOR'], online: false });
    const drift = (await api.call('/v1/drift/events')).body as { items: Array<{ eventId: string; drifted: boolean }> };
    expect(drift.items.map((e) => [e.eventId, e.drifted])).toEqual([['e1', true]]);
    // Every window test, for statistics over time (Wasserstein is reported but never judged drifted).
    const all = (await api.call('/v1/drift/events?drifted=all')).body as { items: Array<{ eventId: string; drifted: boolean }> };
    expect(all.items.map((e) => [e.eventId, e.drifted])).toEqual([
      ['e1', true],
      ['e0', false],
    ]);
    expect((await api.call('/v1/drift/events?drifted=yes')).status).toBe(400);
  });
});

describe('operator feedback', () => {
  it('publishes the Avro record to the feedback topic and stores it in ClickHouse', async () => {
    const res = await api.call('/v1/feedback', {
      key: 'operator',
      method: 'POST',
      body: JSON.stringify({ kind: 'DISMISS', deviceId: 'dev-0000', windowStartMs: T0, reason: 'maintenance test' }),
    });
    expect(res.status).toBe(201);
    const sent = res.body as OperatorFeedback;
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'api-int', logLevel: logLevel.NOTHING });
    const onTopic = await readTopicToEnd(kafka, apiTopics({ API_TOPIC_SUFFIX: suffix }).feedback, AvroSerde.forUrl(stack.registryUrl));
    expect(onTopic.map((m) => [m.key, m.value])).toEqual([['dev-0000', sent]]);
    const stored = (await api.call('/v1/feedback?deviceId=dev-0000')).body as { items: OperatorFeedback[] };
    expect(stored.items).toEqual([sent]);
  });
});

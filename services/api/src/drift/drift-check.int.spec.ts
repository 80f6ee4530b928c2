/**
 * POST /v1/drift/check against the real ClickHouse: the reference is read from the `drift_references` row the
 * drift service writes (same table, same JSON), and SQL-injection strings in the two values that reach SQL get
 * a 4xx, never an error.
 */
import { createClient } from '@clickhouse/client';
import type { ReferenceWindow } from '@vigil/drift';
import { seededRandom } from '@vigil/features';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../testing/api-harness';
import type { DriftCheckResult } from './drift.schemas';

/** As in api.int.spec.ts (importing a spec file would run its suites here too). */
const INJECTIONS = ["' OR 1=1 --", "x'); DROP TABLE drift_references; --", "\\' OR ''='", '1; SELECT * FROM system.users', '${7*7}', '"', '\u0000', 'NaN'];

const stack = inject('stack');
const database = uniqueTableName('apidrift');
const ch = createClient({ url: stack.clickhouseUrl });
let api: ApiHarness;

const random = seededRandom(21);
const rows = (count: number, shift: number) => Array.from({ length: count }, () => [shift + random.normal(), shift + random.normal(), random.normal()]);
const reference: ReferenceWindow = { modelVersion: 'pump-synthetic@v1', dim: 3, count: 120, means: rows(120, 0).flat(), scores: [], startMs: 5, endMs: 9 };

beforeAll(async () => {
  api = await startApiHarness(
    {
      VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
      VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: database,
      API_TOPIC_SUFFIX: `.${uniqueName('apidrift')}`,
    },
    { liveTopics: false },
  );
  await ch.insert({
    table: `${database}.drift_references`,
    format: 'JSONEachRow',
    values: [{ modality: 'SENSOR', model_version: reference.modelVersion, created_at_ms: 1, reference_json: JSON.stringify(reference) }],
  });
});

afterAll(async () => {
  await api?.close();
  await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => undefined);
  await ch.close();
});

const check = (body: object) =>
  api.call('/v1/drift/check', { key: 'operator', method: 'POST', body: JSON.stringify({ modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', ...body }) });

describe('drift check over ClickHouse', () => {
  it('tests a posted sample against the stored reference of its model version', async () => {
    const calm = await check({ latents: rows(80, 0) });
    expect(calm.status).toBe(200);
    expect(calm.body).toMatchObject({ reference: { count: 120, startMs: 5, endMs: 9 }, drifted: false });
    const moved = (await check({ latents: rows(80, 1.5) })).body as DriftCheckResult;
    expect(moved.drifted).toBe(true);
    expect((await check({ latents: rows(80, 0), modelVersion: 'pump-synthetic@v2' })).status).toBe(404);
  });

  it('answers SQL-injection strings in the model version and modality with a 4xx, never an error', async () => {
    for (const value of INJECTIONS) {
      for (const field of ['modelVersion', 'modality']) {
        const res = await check({ latents: rows(20, 0), [field]: value });
        expect(res.status, `${field}=${value}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${field}=${value}`).toBeLessThan(500);
      }
    }
    const [{ n }] = (await (await ch.query({ query: `SELECT count() AS n FROM ${database}.drift_references`, format: 'JSONEachRow' })).json()) as [
      { n: string },
    ];
    expect(Number(n)).toBe(1);
  });
});

/**
 * POST /v1/drift/check over real HTTP with an in-memory reference store: a sample from the reference's own
 * distribution is not drifted, a shifted one is (MMD and KS agree, Wasserstein grows); field-level 400s, 401,
 * 403 for a viewer (the route needs operator), 404 for a model version without a stored reference.
 */
import { resolve } from 'node:path';
import type { ReferenceWindow } from '@vigil/drift';
import { seededRandom } from '@vigil/features';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSensorModel } from '../predictions/sensor-model.repository';
import { type ApiHarness, startApiHarness } from '../testing/api-harness';
import { InMemoryAnomalies, InMemoryDrift, InMemoryFeedback } from '../testing/in-memory-repositories';
import type { DriftCheckResult } from './drift.schemas';

const DIM = 4;

/** `count` latent means from N(shift, 1) per dimension, seeded. */
function latents(count: number, seed: number, shift = 0): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: DIM }, () => shift + random.normal()));
}

const reference: ReferenceWindow = {
  modelVersion: 'pump-synthetic@v1',
  dim: DIM,
  count: 200,
  means: latents(200, 1).flat(),
  scores: Array.from({ length: 200 }, (_, i) => 1 + (i % 10) / 10),
  startMs: 1000,
  endMs: 2000,
};

let api: ApiHarness;
beforeAll(async () => {
  const sensorModel = await loadSensorModel(resolve(__dirname, '..', '..', '..', '..', 'models'), 'sensor/pump-synthetic');
  api = await startApiHarness(
    {},
    {
      anomalies: new InMemoryAnomalies([]),
      feedback: new InMemoryFeedback(),
      drift: new InMemoryDrift([], { 'SENSOR pump-synthetic@v1': reference }),
      sensorModel,
      liveTopics: false,
    },
  );
});
afterAll(() => api?.close());

const check = (body: unknown, key: 'operator' | 'viewer' | 'admin' | null = 'operator') =>
  api.call('/v1/drift/check', { key, method: 'POST', body: JSON.stringify(body) });

describe('POST /v1/drift/check', () => {
  it('finds no drift in a sample of the reference distribution and drift in a shifted one', async () => {
    const same = await check({ modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', latents: latents(150, 2), seed: 3 });
    expect(same.status).toBe(200);
    const calm = same.body as DriftCheckResult;
    expect(calm).toMatchObject({ reference: { count: 200, startMs: 1000, endMs: 2000 }, current: { count: 150 }, alpha: 0.05, scores: null, drifted: false });
    expect(calm.mmd.pValue).toBeGreaterThan(0.05);
    expect(calm.ks.adjustedPValues).toHaveLength(DIM);

    const shifted = (
      await check({ modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', latents: latents(150, 4, 1), scores: Array(150).fill(3), seed: 3 }, 'admin')
    ).body as DriftCheckResult;
    expect(shifted).toMatchObject({ drifted: true, mmd: { drifted: true, method: 'permutation' }, ks: { drifted: true }, scores: { drifted: true } });
    expect(shifted.mmd.pValue).toBeLessThan(0.01);
    expect(shifted.wasserstein.mean).toBeGreaterThan(3 * calm.wasserstein.mean);
  });

  it('gives the same p-value for the same seed', async () => {
    const body = { modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', latents: latents(60, 5, 0.2), seed: 11, permutations: 100 };
    const [a, b] = await Promise.all([check(body), check(body)]);
    expect((a.body as DriftCheckResult).mmd.pValue).toBe((b.body as DriftCheckResult).mmd.pValue);
  });

  it('names the bad field: ragged vectors, the wrong dimension, scores of another length, an unsafe model version', async () => {
    const issues = async (body: object) =>
      (
        (await check({ modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', latents: latents(20, 6), ...body })).body as {
          issues?: Array<{ field: string; reason: string }>;
        }
      ).issues;
    const ragged = latents(20, 6);
    ragged[3] = [1, 2];
    expect(await issues({ latents: ragged })).toEqual([{ field: 'latents.3', reason: 'every vector needs 4 values' }]);
    expect(await issues({ latents: latents(20, 6).map((v) => v.slice(0, 3)) })).toEqual([
      { field: 'latents', reason: "vectors need 4 values, the reference's dimension" },
    ]);
    expect(await issues({ scores: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] })).toEqual([{ field: 'scores', reason: 'one score per latent vector' }]);
    expect((await issues({ modelVersion: "x' OR 1=1 --" }))?.map((i) => i.field)).toEqual(['modelVersion']);
    expect((await issues({ latents: latents(5, 6), alpha: 2, modality: 'sensor' }))?.map((i) => i.field).sort()).toEqual(['alpha', 'latents', 'modality']);
  });

  it('answers 401 without credentials, 403 for a viewer, 404 for a model version without a reference', async () => {
    const body = { modality: 'SENSOR', modelVersion: 'pump-synthetic@v1', latents: latents(20, 7) };
    expect((await check(body, null)).status).toBe(401);
    const viewer = await check(body, 'viewer');
    expect(viewer.status).toBe(403);
    expect(viewer.body).toMatchObject({ error: 'forbidden', message: expect.stringContaining('operator') });
    const unknown = await check({ ...body, modelVersion: 'pump-synthetic@v9' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found', message: 'no drift reference stored for SENSOR pump-synthetic@v9' });
    expect((await check({ ...body, modality: 'AUDIO' })).status).toBe(404);
  });
});

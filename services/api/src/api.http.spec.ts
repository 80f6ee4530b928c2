/**
 * Every REST endpoint over real HTTP (the whole app, guards, pipes, filter and edge middleware), with in-memory
 * repositories instead of ClickHouse and Kafka: happy path, validation error, no credentials, wrong role, not
 * found; plus rate limits, JWTs, body limits, headers and the documents.
 */
import { resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSensorModel, type LoadedSensorModel } from './predictions/sensor-model.repository';
import { type ApiHarness, startApiHarness } from './testing/api-harness';
import { InMemoryAnomalies, InMemoryDrift, InMemoryFeedback, resultRow } from './testing/in-memory-repositories';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const rows = [
  resultRow('dev-0001', NOW - 9000, 1),
  resultRow('dev-0001', NOW - 6000, 5),
  resultRow('dev-0001', NOW - 3000, 7),
  resultRow('dev-0002', NOW - 3000, 4),
  resultRow('dev-0002', NOW - 120_000, 0.5),
];

let api: ApiHarness;
let model: LoadedSensorModel;
const feedback = new InMemoryFeedback();
const driftEvent = (eventId: string, detectedAtMs: number, modality: 'SENSOR' | 'AUDIO') => ({
  eventId,
  detectedAtMs,
  deviceId: null,
  modality,
  test: 'MMD',
  statistic: 0.2,
  pValue: 0.001,
  threshold: 0.05,
  drifted: true,
  referenceStartMs: 0,
  referenceEndMs: 1000,
  currentStartMs: 2000,
  currentEndMs: 3000,
  modelVersion: 'pump-synthetic@v1',
});
const drift = new InMemoryDrift([driftEvent('d1', NOW - 5000, 'SENSOR'), driftEvent('d2', NOW - 1000, 'AUDIO')]);

beforeAll(async () => {
  model = await loadSensorModel(resolve(__dirname, '..', '..', '..', 'models'), 'sensor/pump-synthetic');
  api = await startApiHarness({}, { anomalies: new InMemoryAnomalies(rows), feedback, drift, sensorModel: model, clock: () => NOW, liveTopics: false });
});
afterAll(() => api?.close());

describe('authentication and roles', () => {
  it('answers 401 without credentials, with an unknown key and with a bad or expired token', async () => {
    expect((await api.call('/v1/anomalies', { key: null })).status).toBe(401);
    expect((await api.call('/v1/anomalies', { key: null, headers: { 'x-api-key': 'nope' } })).body).toMatchObject({
      error: 'unauthorized',
      message: 'unknown API key',
    });
    expect((await api.call('/v1/anomalies', { key: null, headers: { authorization: 'Bearer not.a.jwt' } })).status).toBe(401);
    const expired = await api.token('alice', 'viewer', { expired: true });
    expect((await api.call('/v1/anomalies', { key: null, headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
  });

  it('accepts a JWT with a role claim, and refuses one whose role is too low', async () => {
    const viewer = await api.token('alice', 'viewer');
    expect((await api.call('/v1/anomalies', { key: null, headers: { authorization: `Bearer ${viewer}` } })).status).toBe(200);
    const res = await api.call('/v1/feedback', {
      key: null,
      method: 'POST',
      headers: { authorization: `Bearer ${viewer}` },
      body: JSON.stringify({ kind: 'DISMISS', deviceId: 'dev-0001', windowStartMs: NOW - 3000 }),
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'forbidden' });
  });

  it('rate-limits per key with the key’s own limit', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await api.call('/v1/devices', { key: 'limited' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await api.call('/v1/devices', { key: 'viewer' })).status).toBe(200);
  });

  it('keeps health, metrics and docs public', async () => {
    expect((await api.call('/health/live', { key: null })).body).toEqual({ status: 'ok' });
    expect((await api.call('/health/ready', { key: null })).body).toEqual({ status: 'ready' });
    const metrics = await api.call('/metrics', { key: null });
    expect(metrics.body).toMatch(/vigil_api_requests_total\{route="\/v1\/devices",method="GET",status="429"\} 2/);
  });
});

describe('GET /v1/anomalies', () => {
  it('pages newest first with a cursor, anomalies only by default', async () => {
    const first = await api.call('/v1/anomalies?limit=2');
    expect(first.status).toBe(200);
    const page = first.body as { items: Array<{ deviceId: string; windowStartMs: number }>; nextCursor: string };
    expect(page.items.map((i) => [i.deviceId, i.windowStartMs])).toEqual([
      ['dev-0002', NOW - 3000],
      ['dev-0001', NOW - 3000],
    ]);
    const second = (await api.call(`/v1/anomalies?limit=2&cursor=${page.nextCursor}`)).body as typeof page;
    expect(second.items.map((i) => [i.deviceId, i.windowStartMs])).toEqual([['dev-0001', NOW - 6000]]);
    expect(second.nextCursor).toBeNull();
  });

  it('filters by device, verdict and score range', async () => {
    const res = (await api.call('/v1/anomalies?deviceId=dev-0001&verdict=all&minScore=0.5&maxScore=6')).body as { items: Array<{ fusedScore: number }> };
    expect(res.items.map((i) => i.fusedScore)).toEqual([5, 1]);
  });

  it('names each bad field in a 400', async () => {
    const res = await api.call('/v1/anomalies?limit=0&verdict=maybe&from=20&to=10&deviceId=a%27%20OR%201%3D1');
    expect(res.status).toBe(400);
    const fields = (res.body as { issues: Array<{ field: string }> }).issues.map((i) => i.field).sort();
    expect(fields).toEqual(['deviceId', 'limit', 'verdict']);
    expect((await api.call('/v1/anomalies?from=20&to=10')).body).toMatchObject({ issues: [{ field: 'from', reason: 'from must be before to' }] });
    expect((await api.call('/v1/anomalies?cursor=bm90LWEtY3Vyc29y')).body).toMatchObject({ issues: [{ field: 'cursor' }] });
    expect((await api.call('/v1/anomalies?surprise=1')).status).toBe(400);
  });
});

describe('GET /v1/anomalies/:deviceId/:windowStartMs', () => {
  it('returns the window with its root cause, 404 for an unknown one, 400 for a bad id', async () => {
    const ok = await api.call(`/v1/anomalies/dev-0001/${NOW - 3000}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ deviceId: 'dev-0001', isAnomaly: true, rootCause: { topChannels: [{ name: 'vibration_rms', share: 0.8 }] }, shap: null });
    expect((await api.call(`/v1/anomalies/dev-0001/123`)).status).toBe(404);
    expect((await api.call(`/v1/anomalies/dev-0001/-5`)).status).toBe(400);
    expect((await api.call(`/v1/anomalies/dev-0001/1`, { key: null })).status).toBe(401);
  });
});

describe('GET /v1/devices', () => {
  it('lists devices with live state, and one device, 404 for an unknown one', async () => {
    const list = (await api.call('/v1/devices')).body as { items: Array<{ deviceId: string; online: boolean; anomalyRate: number }> };
    expect(list.items.map((d) => [d.deviceId, d.online])).toEqual([
      ['dev-0001', true],
      ['dev-0002', true],
    ]);
    expect((await api.call('/v1/devices/dev-0001')).body).toMatchObject({
      deviceId: 'dev-0001',
      modalities: ['SENSOR'],
      currentThreshold: 2,
      anomalyRate: 2 / 3,
      windowsLastHour: 3,
    });
    expect((await api.call('/v1/devices/dev-9999')).status).toBe(404);
    expect((await api.call('/v1/devices/bad%20id')).status).toBe(400);
  });
});

describe('GET /v1/models', () => {
  it('lists the registry, shows one model with its live version and card, 404 for an unknown one', async () => {
    const list = (await api.call('/v1/models')).body as { items: Array<{ name: string; liveVersion: string }> };
    expect(list.items.map((m) => m.name)).toEqual(expect.arrayContaining(['sensor/pump-synthetic', 'thermal-conv-vae']));
    expect((await api.call('/v1/models/thermal-conv-vae')).body).toMatchObject({
      liveVersion: expect.stringMatching(/^conv-vae-/),
      versions: [{ kind: 'conv-vae', calibration: { threshold: expect.any(Number) } }],
    });
    const one = await api.call('/v1/models/sensor%2Fpump-synthetic');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({
      name: 'sensor/pump-synthetic',
      versions: expect.arrayContaining([expect.objectContaining({ live: true })]),
      card: expect.stringContaining('#'),
    });
    expect((await api.call('/v1/models/..%2F..%2Fetc')).status).toBe(404);
    expect((await api.call('/v1/models/nope')).status).toBe(404);
  });
});

describe('POST /v1/feedback', () => {
  it('records a confirmation with who, the window’s model version and a new id', async () => {
    const res = await api.call('/v1/feedback', {
      key: 'operator',
      method: 'POST',
      body: JSON.stringify({ kind: 'CONFIRM', deviceId: 'dev-0001', windowStartMs: NOW - 3000, faultType: 'bearing_wear', reason: 'seen on site' }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'CONFIRM',
      operator: 'operator',
      modelVersion: 'pump-synthetic@v1',
      rangeStartMs: NOW - 3000,
      rangeEndMs: NOW,
      createdAtMs: NOW,
    });
    expect(feedback.saved.at(-1)).toEqual(res.body);
    const list = (await api.call('/v1/feedback?deviceId=dev-0001')).body as { items: unknown[] };
    expect(list.items[0]).toEqual(res.body);
  });

  it('labels a fault range; 400 for a bad range or kind, 404 for an unknown window, 403 for a viewer', async () => {
    const label = { kind: 'LABEL_FAULT', deviceId: 'dev-0002', rangeStartMs: NOW - 60_000, rangeEndMs: NOW, faultType: 'overheating' };
    expect((await api.call('/v1/feedback', { key: 'admin', method: 'POST', body: JSON.stringify(label) })).status).toBe(201);
    const bad = await api.call('/v1/feedback', { key: 'operator', method: 'POST', body: JSON.stringify({ ...label, rangeEndMs: NOW - 90_000 }) });
    expect(bad.body).toMatchObject({ error: 'validation', issues: [{ field: 'rangeEndMs' }] });
    expect((await api.call('/v1/feedback', { key: 'operator', method: 'POST', body: JSON.stringify({ kind: 'MAYBE' }) })).status).toBe(400);
    expect(
      (await api.call('/v1/feedback', { key: 'operator', method: 'POST', body: JSON.stringify({ kind: 'DISMISS', deviceId: 'dev-0001', windowStartMs: 5 }) }))
        .status,
    ).toBe(404);
    expect((await api.call('/v1/feedback', { key: 'viewer', method: 'POST', body: JSON.stringify(label) })).status).toBe(403);
    expect((await api.call('/v1/feedback', { key: 'operator', method: 'POST', body: '{"kind":' })).body).toMatchObject({ error: 'bad_request' });
  });
});

describe('POST /v1/predictions/timeseries', () => {
  const window = () => Array.from({ length: model.model.steps }, (_, s) => Array.from({ length: model.model.channels }, (_, c) => Math.sin(s / 3 + c)));

  it('scores a window with the served model version, threshold and root cause', async () => {
    const res = await api.call('/v1/predictions/timeseries', { method: 'POST', body: JSON.stringify({ window: window() }) });
    expect(res.status).toBe(200);
    const p = res.body as { modelVersion: string; score: number; threshold: number; isAnomaly: boolean; rootCause: { topChannels: unknown[] } };
    expect(p.modelVersion).toBe(model.modelVersion);
    expect(p.isAnomaly).toBe(p.score > p.threshold);
    expect(p.rootCause.topChannels.length).toBeGreaterThan(0);
  });

  it('refuses a window of the wrong shape (400), no credentials (401), and a body over the limit (413)', async () => {
    const short = await api.call('/v1/predictions/timeseries', { method: 'POST', body: JSON.stringify({ window: window().slice(1) }) });
    expect(short.body).toMatchObject({ issues: [{ field: 'window' }] });
    expect((await api.call('/v1/predictions/timeseries', { method: 'POST', body: JSON.stringify({ window: [[Number.MAX_VALUE, 'x']] }) })).status).toBe(400);
    expect((await api.call('/v1/predictions/timeseries', { key: null, method: 'POST', body: JSON.stringify({ window: window() }) })).status).toBe(401);
    const huge = await api.call('/v1/predictions/timeseries', { method: 'POST', body: JSON.stringify({ window: Array(400_000).fill([1, 2, 3]) }) });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: 'payload_too_large' });
  });
});

describe('POST /v1/predictions/image', () => {
  const png = (size: number, grey: number) =>
    sharp({ create: { width: size, height: size, channels: 3, background: { r: grey, g: grey, b: grey } } })
      .png()
      .toBuffer();

  it('scores a frame with the image model version, threshold and where the anomaly peaks', async () => {
    const res = await api.call('/v1/predictions/image', { method: 'POST', body: JSON.stringify({ image: (await png(64, 90)).toString('base64') }) });
    expect(res.status).toBe(200);
    const p = res.body as { modelVersion: string; modality: string; score: number; threshold: number; isAnomaly: boolean; rootCause: { summary: string } };
    expect(p).toMatchObject({ modality: 'IMAGE', modelVersion: expect.stringMatching(/^thermal-conv-vae@/) });
    expect(p.isAnomaly).toBe(p.score > p.threshold);
    expect(p.rootCause.summary).toMatch(/peaks in the/);
  });

  it('refuses bytes that are not an image (400) and a caller without a key (401)', async () => {
    const bad = await api.call('/v1/predictions/image', {
      method: 'POST',
      body: JSON.stringify({ image: Buffer.from('not an image at all').toString('base64') }),
    });
    expect(bad.body).toMatchObject({ error: 'validation', issues: [{ field: 'image' }] });
    expect((await api.call('/v1/predictions/image', { method: 'POST', body: JSON.stringify({ image: '***' }) })).status).toBe(400);
    expect((await api.call('/v1/predictions/image', { key: null, method: 'POST', body: JSON.stringify({ image: 'AAAAAAAA' }) })).status).toBe(401);
  });
});

describe('GET /v1/drift/events', () => {
  it('lists drift events newest first, filtered; 400 for a bad filter, 401 without a key', async () => {
    expect(((await api.call('/v1/drift/events')).body as { items: Array<{ eventId: string }> }).items.map((e) => e.eventId)).toEqual(['d2', 'd1']);
    expect(((await api.call('/v1/drift/events?modality=SENSOR')).body as { items: Array<{ eventId: string }> }).items.map((e) => e.eventId)).toEqual(['d1']);
    expect((await api.call('/v1/drift/events?modality=sensor')).status).toBe(400);
    expect((await api.call('/v1/drift/events', { key: null })).status).toBe(401);
  });
});

describe('the HTTP edge', () => {
  it('sends security headers and CORS for the configured origin only, and no stack traces', async () => {
    const res = await api.call('/v1/devices', { headers: { origin: 'http://localhost:5173' } });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect((await api.call('/v1/devices', { headers: { origin: 'http://evil.example' } })).headers.get('access-control-allow-origin')).toBeNull();
    const missing = await api.call('/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(JSON.stringify(missing.body)).not.toMatch(/at .*\.ts/);
  });

  it('serves the OpenAPI and AsyncAPI documents', async () => {
    const openapi = (await api.call('/docs/openapi.json', { key: null })).body as { openapi: string; paths: Record<string, unknown> };
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths)).toEqual(
      expect.arrayContaining(['/v1/anomalies', '/v1/feedback', '/v1/predictions/timeseries', '/v1/devices/{deviceId}']),
    );
    expect((await api.call('/docs', { key: null })).body).toMatch(/swagger/i);
    expect(((await api.call('/asyncapi.json', { key: null })).body as { asyncapi: string }).asyncapi).toBe('3.0.0');
  });
});

/**
 * `/v1/windows/:deviceId/:windowStartMs/data` and `/v1/training/runs` over real HTTP (the whole app, guards and
 * pipes), with in-memory results and raw events instead of ClickHouse and Kafka (the browser e2e reads them back
 * from Kafka): happy path, validation error, no credentials, not found.
 */
import { resolve } from 'node:path';
import type { AudioChunk, ImageFrame, SensorReading } from '@vigil/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSensorModel } from '../predictions/sensor-model.repository';
import { type ApiHarness, startApiHarness } from '../testing/api-harness';
import { InMemoryAnomalies, InMemoryDrift, InMemoryFeedback, resultRow } from '../testing/in-memory-repositories';
import type { RawWindowEvents } from './raw-window.repository';
import type { WindowData } from './windows.schemas';

const START = Date.UTC(2026, 0, 1, 12, 0, 0);
const CHANNELS = { bearing_temp: 48, flow: 55, motor_current: 20, motor_temp: 60, pressure: 4.3, rpm: 1310, vibration_rms: 2.1 };

function rawEvents(): RawWindowEvents {
  const sensor: SensorReading[] = Array.from({ length: 30 }, (_, i) => ({
    deviceId: 'dev-0001',
    eventTimeMs: START + i * 100,
    seq: i,
    values: Object.fromEntries(Object.entries(CHANNELS).map(([k, v]) => [k, v * (1 + 0.01 * Math.sin(i))])),
  }));
  const rate = 16_000;
  const pcm = Buffer.alloc(3 * rate * 2);
  for (let i = 0; i < 3 * rate; i++) pcm.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const audio: AudioChunk[] = [{ deviceId: 'dev-0001', eventTimeMs: START, seq: 0, sampleRate: rate, channels: 1, encoding: 'PCM_S16LE', pcm }];
  const data = Buffer.alloc(64 * 64, 0);
  for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) data[y * 64 + x] = 60 + x;
  const image: ImageFrame[] = [{ deviceId: 'dev-0001', eventTimeMs: START - 2000, seq: 0, width: 64, height: 64, channels: 1, encoding: 'RAW_U8', data }];
  return { sensor, audio, image, sources: [{ topic: 'vigil.sensor.readings.v1', read: 30, kept: 30 }] };
}

let api: ApiHarness;
const reads: Array<{ deviceId: string; fromMs: number; toMs: number }> = [];

beforeAll(async () => {
  const sensorModel = await loadSensorModel(resolve(__dirname, '..', '..', '..', '..', 'models'), 'sensor/pump-synthetic');
  api = await startApiHarness(
    {},
    {
      anomalies: new InMemoryAnomalies([resultRow('dev-0001', START, 5)]),
      feedback: new InMemoryFeedback(),
      drift: new InMemoryDrift([]),
      sensorModel,
      liveTopics: false,
      rawWindows: {
        read: async (deviceId, range) => {
          reads.push({ deviceId, ...range });
          return rawEvents();
        },
      },
    },
  );
}, 60_000);
afterAll(() => api?.close());

describe('GET /v1/windows/:deviceId/:windowStartMs/data', () => {
  it('re-scores the raw window: channels against their reconstruction, a log-mel spectrogram, the frame with its anomaly map', async () => {
    const res = await api.call(`/v1/windows/dev-0001/${START}/data`);
    expect(res.status).toBe(200);
    const body = res.body as WindowData;
    expect(reads).toEqual([{ deviceId: 'dev-0001', fromMs: START - 6000, toMs: START + 3000 }]);
    expect(body).toMatchObject({ deviceId: 'dev-0001', windowStartMs: START, windowEndMs: START + 3000 });
    expect(body.sensor!.modelVersion).toBe('pump-synthetic@v2');
    expect(body.sensor!.channels.map((c) => c.name)).toEqual(Object.keys(CHANNELS));
    for (const c of body.sensor!.channels) {
      expect(c.values).toHaveLength(30);
      expect(c.reconstruction).toHaveLength(30);
    }
    // One reading per step: the frame holds the readings themselves, in their own units.
    expect(body.sensor!.channels.find((c) => c.name === 'rpm')!.values[0]).toBeCloseTo(1310, 3);
    expect(body.sensor!.score).toBeGreaterThan(0);
    expect(body.audio).toMatchObject({ sampleRate: 16_000, coverage: 1, mels: 48 });
    expect(body.audio!.db).toHaveLength(96);
    // A 440 Hz tone: the loudest mel band of a frame is a low one, not the top.
    const frame = body.audio!.db[48]!;
    expect(frame.indexOf(Math.max(...frame))).toBeLessThan(16);
    expect(body.image).toMatchObject({ width: 64, height: 64, frameTimeMs: START - 2000 });
    expect(body.image!.pixels[0]![4]).toBeCloseTo(64 / 255, 3);
    expect(body.image!.map.length * body.image!.map[0]!.length).toBeGreaterThan(0);
    expect(body.image!.isAnomaly).toBe(body.image!.score > body.image!.threshold);
  }, 60_000);

  it('answers 400 naming the field, 401 without credentials and 404 for a window with no result', async () => {
    const bad = await api.call('/v1/windows/dev%20one/abc/data');
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: Array<{ field: string }> }).issues.map((i) => i.field).sort()).toEqual(['deviceId', 'windowStartMs']);
    expect((await api.call(`/v1/windows/dev-0001/${START}/data`, { key: null })).status).toBe(401);
    const missing = await api.call(`/v1/windows/dev-0001/${START + 1000}/data`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'not_found' });
  });
});

describe('GET /v1/training/runs', () => {
  it('lists a run per window-model version, and one run’s per-epoch losses', async () => {
    const list = await api.call('/v1/training/runs');
    expect(list.status).toBe(200);
    const runs = (list.body as { items: Array<{ model: string; version: string; epochs: number; live: boolean }> }).items;
    // The committed models' own training summaries (models/sensor/pump-synthetic/v*/model.json): v1 ran 14
    // epochs (best 10), v2 25 (best 24); the newest is the one served.
    expect(runs).toContainEqual(expect.objectContaining({ model: 'sensor/pump-synthetic', version: 'v1', epochs: 14, live: false }));
    expect(runs).toContainEqual(expect.objectContaining({ model: 'sensor/pump-synthetic', version: 'v2', epochs: 25, live: true }));
    const one = await api.call('/v1/training/runs/sensor%2Fpump-synthetic/v2');
    expect(one.status).toBe(200);
    const run = one.body as { history: Array<{ epoch: number; loss: number; validationLoss: number }>; bestEpoch: number };
    expect(run.history).toHaveLength(25);
    expect(run.history[24]!.validationLoss).toBeLessThan(run.history[0]!.validationLoss);
    expect(run.bestEpoch).toBe(24);
  });

  it('answers 400 for a bad version, 401 without credentials and 404 for an unknown model', async () => {
    const bad = await api.call('/v1/training/runs/sensor%2Fpump-synthetic/latest');
    expect(bad.status).toBe(400);
    expect((bad.body as { issues: Array<{ field: string }> }).issues[0]!.field).toBe('version');
    expect((await api.call('/v1/training/runs', { key: null })).status).toBe(401);
    expect((await api.call('/v1/training/runs/no-such-model/v1')).status).toBe(404);
  });
});

/**
 * POST /v1/predictions/audio and /v1/predictions/multimodal over real HTTP (the whole app with in-memory
 * repositories): happy path with the model version, field-level 400s, 401 without credentials, 413 over the
 * route's body limit, and 503 when the registry lacks the model (these routes read no stored resource, so a
 * missing model is their "not found"). Predictions need the viewer role, the lowest one: no role is forbidden.
 */
import { resolve } from 'node:path';
import { mulberry32 } from '@vigil/features';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../testing/api-harness';
import { InMemoryAnomalies, InMemoryDrift, InMemoryFeedback } from '../testing/in-memory-repositories';
import { loadSensorModel, type LoadedSensorModel } from './sensor-model.repository';

let api: ApiHarness;
let bare: ApiHarness;
let sensorModel: LoadedSensorModel;

const overrides = () => ({
  anomalies: new InMemoryAnomalies([]),
  feedback: new InMemoryFeedback(),
  drift: new InMemoryDrift([]),
  sensorModel,
  liveTopics: false as const,
});

beforeAll(async () => {
  sensorModel = await loadSensorModel(resolve(__dirname, '..', '..', '..', '..', 'models'), 'sensor/pump-synthetic');
  api = await startApiHarness({}, overrides());
  bare = await startApiHarness({ API_AUDIO_MODEL: 'no-such-audio-model', API_MULTIMODAL_MODEL: 'no-such-fused-model' }, overrides());
});
afterAll(async () => {
  await api?.close();
  await bare?.close();
});

function pcm16(n: number, seed: number): string {
  const random = mulberry32(seed);
  return Buffer.from(Int16Array.from({ length: n }, () => Math.round(3000 * (2 * random() - 1))).buffer).toString('base64');
}

const post = (path: string, body: unknown, key: 'viewer' | null = 'viewer', on = api) => on.call(path, { key, method: 'POST', body: JSON.stringify(body) });

describe('POST /v1/predictions/audio', () => {
  it('scores a PCM16 clip with the audio VAE: its worst window against the calibrated threshold, in mel bands', async () => {
    const res = await post('/v1/predictions/audio', { deviceId: 'dev-0001', audio: { encoding: 'PCM_S16LE', sampleRate: 12000, data: pcm16(12000, 1) } });
    expect(res.status).toBe(200);
    const p = res.body as {
      modelVersion: string;
      modality: string;
      score: number;
      threshold: number;
      isAnomaly: boolean;
      windows: number;
      rootCause: { topChannels: Array<{ name: string }>; modalityShares: object };
    };
    expect(p).toMatchObject({ modelVersion: 'cwru-bearing-audio-vae@v1', modality: 'AUDIO', windows: 87, rootCause: { modalityShares: { AUDIO: 1 } } });
    expect(p.threshold).toBeCloseTo(1.3457, 3);
    expect(p.isAnomaly).toBe(p.score > p.threshold);
    expect(p.rootCause.topChannels[0]!.name).toMatch(/^mel_/);
  });

  it('names the bad field: encoding, a PCM clip without its rate, bytes that are no WAV, a clip too short', async () => {
    const issues = async (audio: unknown) =>
      ((await post('/v1/predictions/audio', { audio })).body as { issues?: Array<{ field: string; reason: string }> }).issues;
    expect(await issues({ encoding: 'MP3', data: 'AAAA' })).toEqual([expect.objectContaining({ field: 'audio.encoding' })]);
    expect(await issues({ encoding: 'PCM_S16LE', data: 'AAAA' })).toEqual([{ field: 'audio.sampleRate', reason: 'required for PCM_S16LE' }]);
    expect(await issues({ encoding: 'WAV', data: Buffer.from('definitely not RIFF').toString('base64') })).toEqual([
      expect.objectContaining({ field: 'audio.data', reason: expect.stringMatching(/not a PCM or float WAV/) }),
    ]);
    expect(await issues({ encoding: 'PCM_S16LE', sampleRate: 12000, data: pcm16(100, 2) })).toEqual([
      expect.objectContaining({ field: 'audio.data', reason: expect.stringMatching(/clip too short/) }),
    ]);
    expect((await post('/v1/predictions/audio', { audio: { encoding: 'WAV', data: 'AAAA' }, extra: 1 })).status).toBe(400);
  });

  it('answers 401 without credentials, 413 over the audio body limit, 503 without an audio model', async () => {
    const clip = { encoding: 'PCM_S16LE', sampleRate: 12000, data: pcm16(12000, 3) };
    expect((await post('/v1/predictions/audio', { audio: clip }, null)).status).toBe(401);
    expect((await post('/v1/predictions/audio', { audio: { ...clip, data: 'A'.repeat(5_000_000) } })).status).toBe(413);
    const missing = await post('/v1/predictions/audio', { audio: clip }, 'viewer', bare);
    expect(missing.status).toBe(503);
    expect(missing.body).toMatchObject({ error: 'unavailable', message: expect.stringContaining('no-such-audio-model') });
  });
});

describe('POST /v1/predictions/multimodal', () => {
  const CHANNELS = 7;
  const random = mulberry32(9);
  const sensor = Array.from({ length: 30 }, () => Array.from({ length: CHANNELS }, () => 50 * random()));
  const audio = { encoding: 'PCM_S16LE', sampleRate: 16000, data: pcm16(48000, 4) };
  const image = async () =>
    (
      await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 120, g: 120, b: 120 } } })
        .png()
        .toBuffer()
    ).toString('base64');

  it('scores all three modalities with the fused model, its threshold and each modality’s share', async () => {
    const res = await post('/v1/predictions/multimodal', { deviceId: 'dev-0001', sensor, audio, image: await image() });
    expect(res.status).toBe(200);
    const p = res.body as {
      modelVersion: string;
      score: number;
      threshold: number;
      isAnomaly: boolean;
      presentModalities: string[];
      modalityShares: Record<string, number>;
      rootCause: { modalityShares: Record<string, number>; summary: string };
    };
    expect(p).toMatchObject({ modelVersion: 'multimodal-pump@v1', modality: 'FUSED', presentModalities: ['SENSOR', 'AUDIO', 'IMAGE'] });
    expect(Object.keys(p.modalityShares).sort()).toEqual(['AUDIO', 'IMAGE', 'SENSOR']);
    expect(Object.values(p.modalityShares).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(p.rootCause.modalityShares).toEqual(p.modalityShares);
    expect(p.isAnomaly).toBe(p.score > p.threshold);
  });

  it('scores any subset: sensor alone puts the whole score on SENSOR, an image of any size is resized', async () => {
    const alone = (await post('/v1/predictions/multimodal', { sensor })).body as { presentModalities: string[]; modalityShares: Record<string, number> };
    expect(alone.presentModalities).toEqual(['SENSOR']);
    expect(alone.modalityShares.SENSOR).toBeCloseTo(1, 5);
    const odd = (
      await sharp({ create: { width: 50, height: 40, channels: 3, background: { r: 60, g: 60, b: 60 } } })
        .png()
        .toBuffer()
    ).toString('base64');
    const imageOnly = await post('/v1/predictions/multimodal', { image: odd });
    expect(imageOnly.status).toBe(200);
    expect((imageOnly.body as { presentModalities: string[] }).presentModalities).toEqual(['IMAGE']);
  });

  it('names the bad field: none of the modalities, a short row, too little sound, bytes that are no image', async () => {
    const issues = async (body: unknown) =>
      ((await post('/v1/predictions/multimodal', body)).body as { issues?: Array<{ field: string; reason: string }> }).issues;
    expect(await issues({ deviceId: 'dev-0001' })).toEqual([{ field: '(body)', reason: 'give at least one of sensor, audio, image' }]);
    expect(
      await issues({
        sensor: [
          [1, 2, 3],
          [4, 5, 6],
        ],
      }),
    ).toEqual([expect.objectContaining({ field: 'sensor', reason: expect.stringMatching(/7 values \(rpm/) })]);
    expect(await issues({ audio: { ...audio, data: pcm16(16000, 5) } })).toEqual([
      expect.objectContaining({ field: 'audio.data', reason: expect.stringMatching(/at least 43200 samples/) }),
    ]);
    expect(await issues({ image: Buffer.from('not an image, just text').toString('base64') })).toEqual([
      { field: 'image', reason: 'not a PNG or JPEG image this model can read' },
    ]);
    expect(await issues({ sensor: [[Number.MAX_VALUE]], audio: { encoding: 'PCM_F32LE', data: 'AAAA' } })).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'sensor' }), { field: 'audio.sampleRate', reason: 'required for PCM_F32LE' }]),
    );
  });

  it('answers 401 without credentials and 503 without a multimodal model', async () => {
    expect((await post('/v1/predictions/multimodal', { sensor }, null)).status).toBe(401);
    expect((await post('/v1/predictions/multimodal', { sensor }, 'viewer', bare)).status).toBe(503);
  });
});

describe('the OpenAPI document', () => {
  it('documents both routes with their request and answer schemas', async () => {
    const doc = (await api.call('/docs/openapi.json', { key: null })).body as { paths: Record<string, { post: { responses: Record<string, unknown> } }> };
    for (const path of ['/v1/predictions/audio', '/v1/predictions/multimodal'])
      expect(Object.keys(doc.paths[path]!.post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '503']));
  });
});

import { resolve } from 'node:path';
import type { AudioChunk } from '@vigil/contracts';
import { type AlignedWindow, alignedWindow, parseDeviceRoutes } from '@vigil/detection';
import { describe, expect, it } from 'vitest';
import { type AudioClipScoringModel, loadLatentDensity } from '@vigil/ml';
import { parseDetectorConfig } from '../config/detector.config';
import { loadRouteScorers } from './route-models.loader';

const MODELS = resolve(__dirname, '..', '..', '..', '..', 'models');

/** 3 s of a seeded noisy 500 Hz tone at 16 kHz, one chunk. */
function soundWindow(deviceId: string): AlignedWindow {
  const pcm = Buffer.alloc(2 * 48_000);
  let s = 7;
  for (let i = 0; i < 48_000; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    pcm.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 500 * i) / 16000) + 500 * (s / 2 ** 32 - 0.5)), 2 * i);
  }
  const chunk: AudioChunk = { deviceId, eventTimeMs: 0, seq: 0, sampleRate: 16000, channels: 1, encoding: 'PCM_S16LE', pcm };
  return alignedWindow(deviceId, 0, 3000, { audio: [{ eventTimeMs: 0, value: chunk, source: { topic: 't', partition: 0, offset: '0' } }] });
}

describe('loadRouteScorers', () => {
  it('loads an audio VAE folder of a route as its AUDIO scorer, on ONNX Runtime matching tfjs within 1e-4', async () => {
    const routes = parseDeviceRoutes(`engines:cmapss-*=${MODELS}/cmapss-fd001-cnn/v1+${MODELS}/mimii-pump-audio-vae/v1`);
    const loaded = await loadRouteScorers(routes, parseDetectorConfig({ DETECTOR_INFERENCE_RUNTIME: 'onnxruntime' }));
    expect(loaded.map((l) => l.scorer.modality)).toEqual(['SENSOR', 'AUDIO']);
    const audio = loaded[1]!;
    expect(audio.calibrationScores.length).toBeGreaterThanOrEqual(100);
    const inputs = audio.scorer.frame(soundWindow('cmapss-u001'))!;
    const batch = { batch: 1, inputs };
    const tfjs = audio.scorer.model.assess(batch).scores[0]!;
    const onnx = (await audio.scorer.model.assessAsync!(batch)).scores[0]!;
    expect(Math.abs(onnx - tfjs)).toBeLessThan(1e-4 * Math.max(1, tfjs));
    for (const l of loaded) l.scorer.model.dispose?.();
  });

  it('scores by latent density when the folder has one, its calibration in the same units, on both runtimes', async () => {
    const routes = parseDeviceRoutes(`engines:cmapss-*=${MODELS}/mimii-pump-audio-vae/v2`);
    const [audio] = await loadRouteScorers(routes, parseDetectorConfig({ DETECTOR_INFERENCE_RUNTIME: 'onnxruntime' }));
    const model = audio!.scorer.model as AudioClipScoringModel;
    expect(model.score).toBe('latent-density');
    const batch = { batch: 1, inputs: audio!.scorer.frame(soundWindow('cmapss-u001'))! };
    const tfjs = model.assess(batch);
    const onnx = await model.assessAsync!(batch);
    expect(tfjs.scores[0]).toBeCloseTo((await loadLatentDensity(`${MODELS}/mimii-pump-audio-vae/v2`))!.score(tfjs.latent.mean), 5);
    expect(Math.abs(onnx.scores[0]! - tfjs.scores[0]!)).toBeLessThan(1e-4 * Math.max(1, tfjs.scores[0]!));
    // Its calibration is in distances too (held-out normal windows of a few to tens of standard deviations), not
    // reconstruction errors (below 1): SPOT must start from the score it judges.
    expect(Math.min(...Array.from(audio!.calibrationScores))).toBeGreaterThan(1);
    model.dispose?.();
  });
});

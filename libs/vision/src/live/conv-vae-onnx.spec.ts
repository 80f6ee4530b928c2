import * as path from 'node:path';
import { buildFleet, parseScenario } from '@vigil/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvVaeVisionModel } from '../models/conv-vae/conv-vae.model';
import { OnnxConvVaeVisionModel } from './conv-vae-onnx';
import { IMAGE_INPUT, IMAGE_MAP_OUTPUT, SynchronousVisionScoringError, visionScoringModel } from './vision-scoring-model';

const DIR = path.resolve(__dirname, '../../../../models/thermal-conv-vae');
const SIZE = 64;

/** Simulator frames (seeded): fault-free, and with a bearing hot spot. */
function frames(): { data: Float32Array; height: number; width: number; channels: number }[] {
  const scenario = parseScenario(`
name: parity
seed: 5
durationS: 600
fleet:
  - name: pumps
    count: 2
    image: { source: synthetic, periodS: 5, width: ${SIZE}, height: ${SIZE} }
faults:
  scheduled:
    - { device: dev-0002, type: bearing_wear, startS: 0, rampS: 10, endS: 600, severity: 1 }
`);
  const startMs = Date.UTC(2026, 0, 1);
  const fleet = buildFleet(scenario, { startMs, replay: undefined });
  return fleet.devices.flatMap((d) =>
    [0, 20, 40].map((k) => ({
      data: Float32Array.from(d.sources.image!.sample(k, startMs + k * 5000).data, (v) => v / 255),
      height: SIZE,
      width: SIZE,
      channels: 1,
    })),
  );
}

describe('the thermal conv VAE on ONNX Runtime', () => {
  let tfjs: ConvVaeVisionModel;
  let exported: OnnxConvVaeVisionModel;
  let committed: OnnxConvVaeVisionModel;
  beforeAll(async () => {
    [tfjs, exported, committed] = await Promise.all([
      ConvVaeVisionModel.load(DIR),
      OnnxConvVaeVisionModel.load(DIR),
      OnnxConvVaeVisionModel.load(DIR, { from: 'files' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([tfjs.dispose(), exported.dispose(), committed.dispose()]);
  });

  it('gives the tfjs model’s scores, maps and posteriors within 1e-4 (in-memory export and the committed onnx/ files)', async () => {
    const images = frames();
    const reference = await tfjs.score(images);
    for (const onnx of [exported, committed]) {
      const served = await onnx.score(images);
      served.forEach((s, k) => {
        const r = reference[k]!;
        expect(Math.abs(s.score - r.score)).toBeLessThan(1e-4);
        let worst = 0;
        for (let i = 0; i < r.map.length; i++) worst = Math.max(worst, Math.abs(s.map[i]! - r.map[i]!));
        expect(worst).toBeLessThan(1e-4);
        r.latent!.mean.forEach((m, i) => expect(Math.abs(s.latent!.mean[i]! - m)).toBeLessThan(1e-4));
        r.latent!.logVar.forEach((v, i) => expect(Math.abs(s.latent!.logVar[i]! - v)).toBeLessThan(1e-4));
      });
    }
    // The frames differ enough for the comparison to mean something: the hot-spot device scores higher.
    expect(Math.max(...reference.slice(3).map((r) => r.score))).toBeGreaterThan(Math.max(...reference.slice(0, 3).map((r) => r.score)));
  });

  it('scores the same, bit for bit, with its sessions in the ONNX session worker thread', async () => {
    const hosted = await OnnxConvVaeVisionModel.load(DIR, { host: 'worker' });
    try {
      const images = frames();
      expect(await hosted.score(images)).toEqual(await exported.score(images));
    } finally {
      await hosted.dispose();
    }
  });

  it('serves as a ScoringModel: image in, score, posterior and the anomaly map out; no synchronous path', async () => {
    const model = visionScoringModel(exported);
    const images = frames().slice(0, 2);
    const data = new Float32Array(2 * SIZE * SIZE);
    images.forEach((im, k) => data.set(im.data, k * SIZE * SIZE));
    const out = await model.assessAsync({ batch: 2, inputs: { [IMAGE_INPUT]: data } });
    const direct = await exported.score(images);
    expect(Array.from(out.scores)).toEqual(direct.map((d) => Math.fround(d.score)));
    expect(out.reconstruction[IMAGE_MAP_OUTPUT]!.subarray(SIZE * SIZE)).toEqual(direct[1]!.map);
    expect(out.latent).toMatchObject({ batch: 2, latentDim: 16 });
    expect(model.inputs).toEqual([{ name: IMAGE_INPUT, shape: [SIZE, SIZE, 1] }]);
    expect(() => model.assess({ batch: 2, inputs: { [IMAGE_INPUT]: data } })).toThrow(SynchronousVisionScoringError);
    await expect(model.assessAsync({ batch: 1, inputs: { [IMAGE_INPUT]: data } })).rejects.toThrow(/needs 1 × 64×64×1/);
  });
});

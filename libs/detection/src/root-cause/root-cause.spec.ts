import { type LatentBatch, ReconstructionWindowModel, type WindowBatch } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import { calibrateResidualScale, WindowShapeError } from './reconstruction-error';
import { latentSensitivities, latentSensitivity } from './latent-sensitivity';
import { analyseRootCause } from './root-cause';

const STEPS = 20;
const CHANNELS = 5;

/**
 * A small real autoencoder for tests: the code is each channel's mean over the first half of the window and
 * the decoder repeats it over all steps. Faults in the second half are what it cannot reconstruct.
 */
class HalfMeanAutoencoder extends ReconstructionWindowModel {
  readonly steps = STEPS;
  readonly channels = CHANNELS;
  readonly latentDim = CHANNELS;
  readonly channelNames = ['temp', 'pressure', 'flow', 'vibration', 'current'];
  readonly version = 'half-mean@test';

  encode(x: WindowBatch): LatentBatch {
    const mean = new Float32Array(x.batch * CHANNELS);
    const half = STEPS / 2;
    for (let b = 0; b < x.batch; b++) {
      for (let t = 0; t < half; t++) for (let c = 0; c < CHANNELS; c++) mean[b * CHANNELS + c]! += x.data[(b * STEPS + t) * CHANNELS + c]! / half;
    }
    return { mean, logVar: new Float32Array(x.batch * CHANNELS).fill(Math.log(0.01)), batch: x.batch, latentDim: CHANNELS };
  }

  decode(z: Float32Array, batch: number): WindowBatch {
    const data = new Float32Array(batch * STEPS * CHANNELS);
    for (let b = 0; b < batch; b++) for (let t = 0; t < STEPS; t++) data.set(z.subarray(b * CHANNELS, (b + 1) * CHANNELS), (b * STEPS + t) * CHANNELS);
    return { data, batch, steps: STEPS, channels: CHANNELS };
  }
}

function gaussian(seed: number): () => number {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Normal windows: channel c has noise σ = noise[c] around level c. */
function normalWindows(batch: number, seed: number, noise = [0.1, 0.1, 0.1, 0.1, 0.1]): WindowBatch {
  const random = gaussian(seed);
  const data = new Float32Array(batch * STEPS * CHANNELS);
  for (let i = 0; i < data.length; i++) data[i] = (i % CHANNELS) + noise[i % CHANNELS]! * random();
  return { data, batch, steps: STEPS, channels: CHANNELS };
}

function withFault(window: WindowBatch, channel: number, fromStep: number, toStep: number, offset: number): WindowBatch {
  const data = Float32Array.from(window.data.subarray(0, STEPS * CHANNELS));
  for (let t = fromStep; t < toStep; t++) data[t * CHANNELS + channel]! += offset;
  return { data, batch: 1, steps: STEPS, channels: CHANNELS };
}

const model = new HalfMeanAutoencoder();

describe('analyseRootCause', () => {
  const faulty = withFault(normalWindows(1, 1), 2, 12, 20, 1.5);

  it('ranks the broken channel first and explains most of the error with it', () => {
    const report = analyseRootCause(model, faulty);
    expect(report.channels[0]).toMatchObject({ channel: 2, name: 'flow', rank: 1 });
    expect(report.channels[0]!.share).toBeGreaterThan(0.9);
    expect(report.channels.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(report.channels.reduce((sum, c) => sum + c.share, 0)).toBeCloseTo(1, 12);
  });

  it('ranks in units of normal residual when calibrated, so a noisy channel does not hide a quiet broken one', () => {
    const noise = [2, 0.05, 0.05, 0.05, 0.05];
    const scale = calibrateResidualScale(model, normalWindows(64, 2, noise));
    const window = withFault(normalWindows(1, 3, noise), 3, 10, 20, 0.6);
    expect(analyseRootCause(model, window).channels[0]!.channel).toBe(0);
    const calibrated = analyseRootCause(model, window, { residualScale: scale });
    expect(calibrated.calibratedErrors).toBe(true);
    expect(calibrated.channels[0]!.channel).toBe(3);
  });

  it('finds when in the window the error sits', () => {
    const report = analyseRootCause(model, withFault(normalWindows(1, 4), 1, 15, 16, 4));
    expect(report.temporal.peakSteps[0]).toBe(15);
    expect(report.temporal.stepShare).toHaveLength(STEPS);
    expect(report.temporal.stepShare[15]).toBeGreaterThan(0.8);
  });

  it('names the latent dimension that moves the score, with the direction that would explain the fault', () => {
    const [top] = analyseRootCause(model, faulty).latent;
    expect(top!.dimension).toBe(2);
    // The fault raised the channel: moving its code up reconstructs the window better, so the error falls.
    expect(top!.slope).toBeLessThan(0);
  });

  it('gives a batch of windows, with their posteriors and one decode, what each window gets on its own', () => {
    const windows = [faulty, withFault(normalWindows(1, 6), 0, 0, 10, 2), normalWindows(1, 7)];
    const batch: WindowBatch = { data: Float32Array.from(windows.flatMap((w) => Array.from(w.data))), batch: 3, steps: STEPS, channels: CHANNELS };
    let decodes = 0;
    const counting = { decode: (z: Float32Array, n: number) => (decodes++, model.decode(z, n)) };
    const together = latentSensitivities(counting, batch, model.encode(batch));
    expect(decodes).toBe(1);
    expect(together).toEqual(windows.map((w) => latentSensitivity(model, w)));
    expect(together[1]![0]!.dimension).toBe(0);
  });

  it('sees curvature where the gradient vanishes: every push by σ = 0.1 costs at least σ²/channels', () => {
    // Shifting code c by δ moves channel c by δ at every step: Δerror = ±2δ·mean(residual_c)/C + δ²/C.
    for (const { sensitivity } of analyseRootCause(model, normalWindows(1, 9)).latent) expect(sensitivity).toBeGreaterThanOrEqual(0.01 / CHANNELS - 1e-6);
  });

  it('attributes the score with SHAP over channels, efficiently (base + Σ = score)', () => {
    const report = analyseRootCause(model, faulty, { background: normalWindows(8, 5), shap: { maxCoalitions: 64 } });
    const byShap = [...report.channels].sort((a, b) => b.shap! - a.shap!);
    expect(byShap[0]!.channel).toBe(2);
    expect(report.shap!.exact).toBe(true);
    expect(report.shap!.fullValue).toBeCloseTo(report.score, 6);
    expect(report.shap!.baseValue + report.channels.reduce((sum, c) => sum + c.shap!, 0)).toBeCloseTo(report.score, 6);
  });

  it('sums contributions per modality of a multimodal window', () => {
    const modalities = [
      { modality: 'sensor', channels: [0, 1, 2] },
      { modality: 'audio', channels: [3, 4] },
    ];
    const report = analyseRootCause(model, faulty, { modalities, background: normalWindows(4, 6) });
    const [sensor, audio] = report.modalities!;
    expect(sensor!.errorShare + audio!.errorShare).toBeCloseTo(1, 12);
    expect(sensor!.errorShare).toBeGreaterThan(0.9);
    expect(sensor!.shap!).toBeGreaterThan(audio!.shap!);
    expect(report.summary).toContain('Modality sensor carries');
  });

  it('produces a versioned JSON report and a readable summary', () => {
    const report = analyseRootCause(model, faulty, { threshold: 0.05 });
    const json = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(json).toMatchObject({ format: 'vigil.root-cause', version: 1, modelVersion: 'half-mean@test', threshold: 0.05 });
    expect(report.summary).toMatch(/^Score \d+\.\d+ is \d+\.\d× the threshold 0\.05\. Error is concentrated in flow \(\d+ %\)/);
    expect(report.summary).toContain('Latent dimension 2 moves the score most.');
  });

  it('rejects windows of the wrong shape', () => {
    const wrong: WindowBatch = { data: new Float32Array(10 * CHANNELS), batch: 1, steps: 10, channels: CHANNELS };
    expect(() => analyseRootCause(model, wrong)).toThrow(WindowShapeError);
    expect(() => analyseRootCause(model, faulty, { modalities: [{ modality: 'x', channels: [7] }] })).toThrow(WindowShapeError);
  });
});

import type { ImageFrame } from '@vigil/contracts';
import type { ModelInputBatch, ScoringModel } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import { DeviceWindowAssembler } from '../windows/device-window-assembler';
import type { AlignedWindow, StreamModality, TimedEvent } from '../windows/types';
import { topImageRegions } from './image-region';
import { IMAGE_SCORER_INPUT, IMAGE_SCORER_MAP, imageWindowScorer, windowFrame } from './image-scorer';
import { stackInputs } from './modality-scorer';
import { frameOnce, ObservationMemo } from './observation-memo';

const SIZE = 64;
let offset = 0;

/** A grey frame whose pixels are all `level`, with a bright 5×5 spot at (`spot.x`, `spot.y`) when given. */
function frame(t: number, level: number, spot?: { x: number; y: number }): TimedEvent<ImageFrame> {
  const data = Buffer.alloc(SIZE * SIZE, level);
  if (spot) for (let y = spot.y - 2; y <= spot.y + 2; y++) for (let x = spot.x - 2; x <= spot.x + 2; x++) data[y * SIZE + x] = 255;
  return {
    eventTimeMs: t,
    value: { deviceId: 'd', eventTimeMs: t, seq: t / 5000, width: SIZE, height: SIZE, channels: 1, encoding: 'RAW_U8', data },
    source: { topic: 'image', partition: 0, offset: String(offset++) },
  };
}

/** A device's windows as the detector cuts them: sensor at 10 Hz, an image every 5 s, 3 s windows, 1 s hop. */
function windows(untilMs = 40_000): AlignedWindow[] {
  const a = new DeviceWindowAssembler('d', {
    lengthMs: 3000,
    hopMs: 1000,
    allowedLatenessMs: 500,
    expected: ['SENSOR', 'IMAGE'] as StreamModality[],
    modalityIdleMs: 10_000,
  });
  for (let t = 1000; t <= untilMs; t += 100) {
    a.add('SENSOR', { eventTimeMs: t, value: {}, source: { topic: 'sensor', partition: 0, offset: String(offset++) } }, t);
    if (t % 5000 === 0) a.add('IMAGE', frame(t, t / 1000), t);
  }
  return a.closeReady(untilMs).filter((w) => w.startMs >= 6000);
}

/**
 * A stand-in vision model whose anomaly map is its input and whose score is the map's mean, counting the frames it
 * is asked to score: what the scorer does with the model's outputs is under test, not the model.
 */
function identityModel(): ScoringModel & { framesScored: number } {
  const model = {
    kind: 'vision-vae' as const,
    version: 'identity',
    inputs: [{ name: IMAGE_SCORER_INPUT, shape: [SIZE, SIZE, 1] }],
    latentDim: 0,
    framesScored: 0,
    assess({ batch, inputs }: ModelInputBatch) {
      model.framesScored += batch;
      const image = inputs[IMAGE_SCORER_INPUT]!;
      const scores = Float32Array.from(
        { length: batch },
        (_, k) => image.subarray(k * SIZE * SIZE, (k + 1) * SIZE * SIZE).reduce((a, b) => a + b, 0) / (SIZE * SIZE),
      );
      return {
        scores,
        latent: { mean: new Float32Array(0), logVar: new Float32Array(0), batch, latentDim: 0 },
        reconstruction: { [IMAGE_SCORER_MAP]: image.slice() },
      };
    },
  };
  return model;
}

const rawInput = (f: ImageFrame) => (f.encoding === 'RAW_U8' ? Float32Array.from(f.data, (v) => v / 255) : undefined);

describe('imageWindowScorer', () => {
  it('frames a window from its own latest frame, else the one carried into it, and names that frame as its observation', () => {
    const scorer = imageWindowScorer(identityModel(), { mapSize: [SIZE, SIZE], input: rawInput });
    const all = windows();
    const own = all.filter((w) => w.image.length > 0);
    const carried = all.filter((w) => w.image.length === 0);
    expect(own.length).toBeGreaterThan(10);
    expect(carried.length).toBeGreaterThan(5);
    for (const w of all) {
      const expected = w.image.length > 0 ? w.image.at(-1)! : w.carried.IMAGE!.event;
      expect(windowFrame(w)).toBe(expected);
      expect(scorer.observationKey!(w)).toBe(expected.eventTimeMs);
      const inputs = scorer.frame(w)!;
      expect(inputs[IMAGE_SCORER_INPUT]![0]).toBeCloseTo(expected.eventTimeMs / 1000 / 255, 6); // the frame's level
      expect(Array.from(inputs.image_frame_size!)).toEqual([SIZE, SIZE]);
    }
    // No frame of its own and none carried (the camera has not sent yet): nothing to score.
    const empty = { ...all[0]!, image: [], carried: {} };
    expect(scorer.frame(empty)).toBeUndefined();
    expect(scorer.observationKey!(empty)).toBeUndefined();
    // A frame the model cannot read (here: PNG) is not scored.
    const png = { ...own[0]!, image: [{ ...own[0]!.image[0]!, value: { ...(own[0]!.image[0]!.value as ImageFrame), encoding: 'PNG' as const } }] };
    expect(scorer.frame(png)).toBeUndefined();
  });

  it('scores each frame once: the later windows it sits in or is carried into take its score, also across calls', async () => {
    const model = identityModel();
    const scorer = imageWindowScorer(model, { mapSize: [SIZE, SIZE], input: rawInput });
    const memo = new ObservationMemo<{ score: number }>();
    const all = windows();
    const frames = new Set(all.map((w) => windowFrame(w)!.eventTimeMs));
    const results = new Map<AlignedWindow, { score: number; repeated: boolean }>();
    // Two calls, the split inside a frame's span (as consecutive polls cut a device's windows).
    for (const part of [all.slice(0, 7), all.slice(7)]) {
      const { fresh, settle } = frameOnce(scorer, memo, part);
      const { scores } = model.assess(
        stackInputs(
          model,
          fresh.map((f) => f.inputs),
        ),
      );
      for (const [w, { outcome, repeated }] of await settle(fresh.map((_, i) => ({ score: scores[i]! })))) results.set(w, { score: outcome.score, repeated });
    }
    expect(model.framesScored).toBe(frames.size); // once per frame, not once per window (~5 windows each)
    expect(frames.size).toBeLessThan(all.length / 3);
    expect(results.size).toBe(all.length); // …and every window still has its frame's score
    const first = new Set<number>();
    for (const w of all) {
      const t = windowFrame(w)!.eventTimeMs;
      const r = results.get(w)!;
      expect(r.score).toBeCloseTo(t / 1000 / 255, 6);
      expect(r.repeated).toBe(first.has(t)); // only the first window of each frame is fresh: SPOT learns each frame once
      first.add(t);
    }
  });

  it('scores a frame afresh when its first scoring failed (a retried batch must not lose its image scores)', async () => {
    const scorer = imageWindowScorer(identityModel(), { mapSize: [SIZE, SIZE], input: rawInput });
    const memo = new ObservationMemo<{ score: number }>();
    const all = windows(12_000);
    const failed = frameOnce(scorer, memo, all);
    expect(await failed.settle(undefined)).toEqual(new Map());
    const retried = frameOnce(scorer, memo, all);
    expect(retried.fresh.length).toBe(new Set(all.map((w) => windowFrame(w)!.eventTimeMs)).size);
  });

  it('names the box of a hot spot in frame pixels, with its share of the anomaly map', () => {
    const model = identityModel();
    const scorer = imageWindowScorer(model, { mapSize: [SIZE, SIZE], input: rawInput });
    const hot = frame(5000, 0, { x: 44, y: 19 });
    const w = { ...windows()[0]!, image: [hot] };
    const inputs = scorer.frame(w)!;
    const { reconstruction } = model.assess(stackInputs(model, [inputs]));
    const [report] = scorer.explain([{ inputs, reconstruction, mean: new Float32Array(0), logVar: new Float32Array(0) }], 0);
    expect(report!.topChannels[0]).toEqual({ name: 'IMAGE[x=40..47,y=16..23]', share: 1 });
    expect(report!.summary).toBe('Image anomaly concentrated in box x 40–47, y 16–23 of the 64×64 frame (100 % of the anomaly map; peak at x 42, y 17).');
    expect(report!.modalityShares).toEqual({ IMAGE: 1 });
  });
});

describe('topImageRegions', () => {
  /** A Gaussian blob (σ = 2 px) at (cx, cy) on a faint uniform floor, `size`² cells. */
  const blob = (size: number, cx: number, cy: number, floor = 0.01) =>
    Float32Array.from({ length: size * size }, (_, i) => floor + Math.exp(-(((i % size) - cx) ** 2 + (Math.floor(i / size) - cy) ** 2) / 8));

  it('ranks the boxes by their share of the map; on a map coarser than the frame the boxes are in frame pixels', () => {
    const [top, second] = topImageRegions(blob(64, 44, 19), [64, 64], [64, 64]);
    expect(top).toMatchObject({ x0: 40, x1: 47, y0: 16, y1: 23, peak: { x: 44, y: 19 } });
    expect(top!.share).toBeGreaterThan(0.3);
    expect(second!.share).toBeLessThan(top!.share);
    // The same spot on a 32×32 map of a 64×64 frame: the box and the peak land on the same frame pixels.
    const [coarse] = topImageRegions(blob(32, 22, 9.5), [32, 32], [64, 64]);
    expect(coarse).toMatchObject({ x0: 40, x1: 47, y0: 16, y1: 23 });
    expect(Math.abs(coarse!.peak.x - 44)).toBeLessThanOrEqual(1);
    // A uniform map (a normal frame) spreads evenly: every box 1/64.
    const [flat] = topImageRegions(new Float32Array(64 * 64).fill(0.02), [64, 64], [64, 64]);
    expect(flat!.share).toBeCloseTo(1 / 64, 6);
    expect(() => topImageRegions(new Float32Array(10), [64, 64], [64, 64])).toThrow(RangeError);
  });
});

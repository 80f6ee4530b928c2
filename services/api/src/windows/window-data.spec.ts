import type { AudioChunk, ImageFrame } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { channelSeries, floorNonFinite, frameInput, rows, stepTimes, windowFrame, windowSamples } from './window-data';

const chunk = (eventTimeMs: number, samples: number[], sampleRate = 10): AudioChunk => {
  const pcm = Buffer.alloc(samples.length * 4);
  samples.forEach((s, i) => pcm.writeFloatLE(s, i * 4));
  return { deviceId: 'd', eventTimeMs, seq: 0, sampleRate, channels: 1, encoding: 'PCM_F32LE', pcm };
};
const frame = (eventTimeMs: number, width = 4, height = 4): ImageFrame => ({
  deviceId: 'd',
  eventTimeMs,
  seq: 0,
  width,
  height,
  channels: 1,
  encoding: 'RAW_U8',
  data: Buffer.from(Array.from({ length: width * height }, (_, i) => i * 10)),
});

describe('window data shaping', () => {
  it('splits [steps][channels] frames into one series per channel', () => {
    const out = channelSeries([1, 10, 2, 20, 3, 30], [1.5, 11, 2.5, 21, 3.5, 31], ['a', 'b'], 3);
    expect(out).toEqual([
      { name: 'a', values: [1, 2, 3], reconstruction: [1.5, 2.5, 3.5] },
      { name: 'b', values: [10, 20, 30], reconstruction: [11, 21, 31] },
    ]);
    expect(() => channelSeries([1, 2], [1, 2, 3], ['a'], 2)).toThrow(RangeError);
    expect(stepTimes(1000, 4000, 3)).toEqual([1000, 2000, 3000]);
  });

  it('lays chunks onto the window’s samples, skipping other rates, and reports coverage', () => {
    // 10 Hz, window 1000–2000 ms = 10 samples; one chunk starts 0.5 s early, one covers the rest but one sample.
    const { samples, coverage } = windowSamples([chunk(500, [9, 9, 9, 9, 9, 1, 2, 3]), chunk(1300, [4, 5, 6, 7, 8, 9]), chunk(1000, [7], 20)], 1000, 2000, 10);
    expect(Array.from(samples)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 0]);
    expect(coverage).toBeCloseTo(0.9);
  });

  it('picks the window’s latest frame, else the latest earlier one until it is overdue', () => {
    expect(windowFrame([frame(1000), frame(2500), frame(3100)], 2000, 3000, 6000)!.eventTimeMs).toBe(2500);
    expect(windowFrame([frame(1000)], 2000, 5000, 6000)!.eventTimeMs).toBe(1000);
    expect(windowFrame([frame(1000)], 7000, 10_000, 6000)).toBeUndefined();
  });

  it('turns RAW_U8 frames into the model’s [0, 1] input, block-averaged, and refuses what it cannot take', () => {
    const input = frameInput(frame(0), 2, 2, 1)!;
    // Top-left 2×2 block of 0,10,40,50 → 25; values / 255.
    expect(input[0]).toBeCloseTo(25 / 255, 6);
    expect(frameInput(frame(0, 3, 3), 2, 2, 1)).toBeUndefined();
    expect(frameInput({ ...frame(0), encoding: 'PNG' }, 4, 4, 1)).toBeUndefined();
    expect(rows([1.23456, 2, 3, 4], 2, 2)).toEqual([
      [1.23, 2],
      [3, 4],
    ]);
  });

  it('raises −∞ (silence in dB) and NaN to the smallest finite value, so the answer is valid JSON', () => {
    expect(Array.from(floorNonFinite(Float32Array.of(-20, -Infinity, -50, NaN)))).toEqual([-20, -50, -50, -50]);
    expect(Array.from(floorNonFinite(Float32Array.of(-Infinity)))).toEqual([0]);
  });
});

import type { SensorReading } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { assembleNormalWindows } from './normal-windows';

const readings = (deviceId: string, count: number, fromMs = 0): SensorReading[] =>
  Array.from({ length: count }, (_, i) => ({ deviceId, eventTimeMs: fromMs + i * 100, seq: i, values: { a: i, b: -i } }));

describe('assembleNormalWindows', () => {
  it('cuts sliding windows per device, drops those overlapping excluded ranges, splits by time', () => {
    const byDevice = new Map([
      ['d1', readings('d1', 100).reverse()],
      ['d2', readings('d2', 100, 50)],
    ]);
    const excluded = new Map([['d1', [{ startMs: 2_000, endMs: 2_500 }]]]);
    const split = assembleNormalWindows(byDevice, excluded, { steps: 10, stride: 5, channelNames: ['a', 'b'], calibrationFraction: 0.2, heldOutFraction: 0.2 });
    // 19 windows per device; on d1 the windows touching 2.0–2.5 s (readings 20–25) are dropped: starts 15, 20, 25.
    expect(split.excludedWindows).toBe(3);
    const total = split.train.batch + split.calibration.batch + split.heldOut.batch;
    expect(total).toBe(35);
    expect(split.heldOut.batch).toBe(7);
    expect(split.calibration.batch).toBe(6); // 20 % of the 28 windows left

    // Values in time order within a window, channels interleaved; the held-out windows are the newest.
    expect(Array.from(split.train.data.subarray(0, 4))).toEqual([0, -0, 1, -1]);
    const lastHeldOut = split.heldOut.data.subarray((split.heldOut.batch - 1) * 20);
    expect(lastHeldOut[18]).toBe(99);
  });

  it('holds out the newest windows whatever the training range, and trains only inside the range', () => {
    const byDevice = new Map([['d1', readings('d1', 200)]]);
    const split = assembleNormalWindows(byDevice, new Map(), {
      steps: 10,
      stride: 10,
      channelNames: ['a'],
      trainRange: { startMs: 0, endMs: 5_000 },
      calibrationFraction: 0.2,
      heldOutFraction: 0.2,
    });
    // 20 windows of 1 s: the newest 4 (16–20 s) held out; windows inside 0–5 s (5) train and calibrate.
    expect(split.heldOut.batch).toBe(4);
    expect(split.heldOut.data[0]).toBe(160);
    expect([split.train.batch, split.calibration.batch]).toEqual([4, 1]);
    expect(split.calibration.data[9]).toBe(49);
  });
});

import { describe, expect, it } from 'vitest';
import { ChannelScaler } from '../models/channel-scaler';
import { EarlyStopping } from './early-stopping';
import { annealingDoneAt, klWeight } from './kl-annealing';
import { percentile } from './score-calibration';
import { slidingWindows, takeWindows, windowCount } from './sliding-windows';

describe('klWeight', () => {
  it.each([
    [{ kind: 'constant', beta: 0.5 } as const, [0.5, 0.5, 0.5, 0.5]],
    [{ kind: 'linear', beta: 2, warmupEpochs: 4 } as const, [0.5, 1, 1.5, 2, 2]],
    [{ kind: 'cyclical', beta: 1, cycleEpochs: 4 } as const, [0.5, 1, 1, 1, 0.5, 1]],
  ])('%j', (schedule, expected) => {
    expect(expected.map((_, epoch) => klWeight(schedule, epoch))).toEqual(expected);
  });

  it('says when the weight stops changing', () => {
    expect(annealingDoneAt({ kind: 'linear', beta: 1, warmupEpochs: 5 })).toBe(4);
    expect(annealingDoneAt({ kind: 'cyclical', beta: 1, cycleEpochs: 4 })).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('EarlyStopping', () => {
  it('stops after patience epochs without improvement and remembers the best epoch', () => {
    const stopper = new EarlyStopping({ patience: 2, minDelta: 0.1, startEpoch: 1 });
    const losses = [0.1, 5, 4, 3.95, 4.2, 1];
    const stoppedAt = losses.findIndex((loss, epoch) => (stopper.update(epoch, loss), stopper.shouldStop));
    expect(stoppedAt).toBe(4);
    expect([stopper.bestEpoch, stopper.bestLoss]).toEqual([2, 4]);
  });
});

describe('slidingWindows', () => {
  it('cuts [rows][channels] into overlapping windows', () => {
    const series = Float32Array.from({ length: 10 }, (_, i) => i); // 5 rows × 2 channels
    const w = slidingWindows(series, 2, { steps: 3, stride: 2 });
    expect([w.batch, windowCount(5, { steps: 3, stride: 2 })]).toEqual([2, 2]);
    expect(Array.from(w.data)).toEqual([0, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(takeWindows(w, [1]).data)).toEqual([4, 5, 6, 7, 8, 9]);
    expect(slidingWindows(series, 2, { steps: 6, stride: 1 }).batch).toBe(0);
  });
});

describe('ChannelScaler', () => {
  it('standardises per channel, keeps constant channels finite, and inverts', () => {
    const data = Float32Array.of(1, 7, 3, 7, 5, 7);
    const scaler = ChannelScaler.fit(data, 2);
    expect(Array.from(scaler.mean)).toEqual([3, 7]);
    expect(Array.from(scaler.std)).toEqual([2, 1]);
    expect(Array.from(scaler.transform(data))).toEqual([-1, 0, 0, 0, 1, 0]);
    expect(Array.from(scaler.inverse(scaler.transform(data)))).toEqual(Array.from(data));
  });
});

describe('percentile', () => {
  it('interpolates linearly like numpy', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([10, 0, 5], 0.99)).toBeCloseTo(9.9, 10);
    expect(() => percentile([Number.NaN], 0.5)).toThrow(/no finite/);
  });
});

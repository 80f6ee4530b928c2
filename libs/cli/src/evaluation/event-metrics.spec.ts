import { describe, expect, it } from 'vitest';
import { eventMetrics, labelledEvents, nabRawScore, normalisedNab, pointMetrics } from './event-metrics';

const alarm = (start: number, end: number) => ({ start, end, peakIndex: start, peakScore: 1 });
const labels = [0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0];

describe('event metrics', () => {
  it('counts points as SKAB does', () => {
    const m = pointMetrics([0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], labels);
    expect([m.tp, m.fp, m.fn, m.tn]).toEqual([2, 1, 4, 7]);
    expect(m.far).toBeCloseTo(1 / 8);
    expect(m.mar).toBeCloseTo(4 / 6);
    expect(m.f1).toBeCloseTo(4 / 9);
  });

  it('finds events, catches, false alarms and delays', () => {
    expect(labelledEvents(labels)).toEqual([
      { start: 2, end: 5 },
      { start: 10, end: 11 },
    ]);
    expect(eventMetrics([alarm(3, 6), alarm(7, 8)], labels)).toEqual({ events: 2, caught: 1, falseAlarms: 1, delays: [1] });
  });

  it('scores NAB: perfect → 100, silence → 0, false alarms cost', () => {
    const perfect = nabRawScore([alarm(2, 5), alarm(10, 11)], labels);
    expect(normalisedNab([perfect])).toBeGreaterThan(90);
    expect(normalisedNab([nabRawScore([], labels)])).toBe(0);
    const noisy = nabRawScore([alarm(0, 0), alarm(2, 5), alarm(7, 7), alarm(10, 11)], labels);
    expect(noisy.raw).toBeLessThan(perfect.raw);
    expect(perfect.raw - noisy.raw).toBeLessThan(0.23);
  });
});

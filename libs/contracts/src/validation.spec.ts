import { describe, expect, it } from 'vitest';
import { validateSensorReading } from './validation';

const reading = { deviceId: 'pump-1', eventTimeMs: Date.UTC(2026, 10, 27), seq: 4, values: { temp: 61.2, flow: 40 } };

describe('validateSensorReading', () => {
  it('accepts a plausible reading', () => {
    expect(validateSensorReading(reading)).toEqual([]);
  });

  it('names every violation', () => {
    expect(validateSensorReading({ ...reading, deviceId: ' ', seq: -1, values: { temp: Number.NaN, flow: Number.POSITIVE_INFINITY } })).toEqual([
      'deviceId is empty',
      'seq -1 is not a non-negative integer',
      'channel temp is NaN',
      'channel flow is Infinity',
    ]);
    expect(validateSensorReading({ ...reading, values: {} })).toEqual(['values has no channels']);
    expect(validateSensorReading({ ...reading, eventTimeMs: Date.now() + 2 * 86_400_000 })[0]).toMatch(/outside \[2000-01-01, now \+ 1 day\]/);
  });
});

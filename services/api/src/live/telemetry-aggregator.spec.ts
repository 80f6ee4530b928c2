import type { LiveResult } from '@vigil/contracts/realtime';
import { describe, expect, it } from 'vitest';
import { TelemetryAggregator } from './telemetry-aggregator';

const result = (deviceId: string, windowEndMs: number, fusedScore: number, isAnomaly = false): LiveResult => ({
  deviceId,
  windowStartMs: windowEndMs - 3000,
  windowEndMs,
  modelVersion: 'm@v1',
  modalities: [],
  missingModalities: [],
  fusedScore,
  fusedThreshold: 2,
  isAnomaly,
  rootCauseSummary: null,
  processedAtMs: windowEndMs,
});

describe('TelemetryAggregator', () => {
  it('folds one tick into one aggregate per device, latest window last, and empties itself', () => {
    const agg = new TelemetryAggregator();
    agg.add(result('b', 2000, 1));
    agg.add(result('a', 5000, 3, true));
    agg.add(result('a', 4000, 5, true)); // arrived late: counts, but is not the latest
    agg.add(result('a', 6000, 0.5));
    const tick = agg.drain(7000);
    expect(tick).toEqual({
      tickEndMs: 7000,
      devices: [
        { deviceId: 'a', windows: 3, anomalies: 2, lastScore: 0.5, maxScore: 5, threshold: 2, lastWindowEndMs: 6000 },
        { deviceId: 'b', windows: 1, anomalies: 0, lastScore: 1, maxScore: 1, threshold: 2, lastWindowEndMs: 2000 },
      ],
    });
    expect(agg.size).toBe(0);
    expect(agg.drain(8000).devices).toEqual([]);
  });
});

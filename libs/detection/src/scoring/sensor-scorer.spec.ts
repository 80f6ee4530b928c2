import { resolve } from 'node:path';
import { loadWindowModel } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import { PUMP_SENSOR_HEALTH_RULES, sensorHealthConfig } from '../sensor-health';
import { alignedWindow } from '../windows/aligned-window';
import type { AlignedWindow } from '../windows/types';
import { sensorWindowScorer } from './modality-scorer';

const MODEL_DIR = resolve(__dirname, '..', '..', '..', '..', 'models', 'sensor', 'pump-synthetic', 'v1');
const SOURCE = { topic: 't', partition: 0, offset: '0' };

function window(values: (i: number) => Record<string, number>): AlignedWindow {
  const sensor = Array.from({ length: 30 }, (_, i) => ({ eventTimeMs: 10_000 + i * 100, value: { values: values(i) }, source: SOURCE }));
  return alignedWindow('d', 10_000, 13_000, { sensor });
}

describe('sensorWindowScorer on a mixed fleet', () => {
  it('leaves another machine’s window unscored and unjudged by sensor health, and reports a pump’s lost channel as a dropout', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const scorer = sensorWindowScorer(model, sensorHealthConfig({ channels: PUMP_SENSOR_HEALTH_RULES }));
    const engine = window((i) => ({ s2: 642 + 0.1 * Math.sin(i), s3: 1583 + Math.cos(i) }));
    expect(scorer.frame(engine)).toBeUndefined();
    expect(scorer.health!(engine)).toEqual([]);
    const pumpWithoutFlow = window((i) => ({
      rpm: 1480 + 3 * Math.sin(i),
      motor_current: 20 + 0.3 * Math.cos(i),
      vibration_rms: 2,
      bearing_temp: 60,
      motor_temp: 70,
      pressure: 3.5,
    }));
    expect(scorer.frame(pumpWithoutFlow)).toBeDefined();
    expect(
      scorer.health!(pumpWithoutFlow)
        .filter((f) => f.kind === 'DROPOUT')
        .map((f) => f.channel),
    ).toEqual(['flow']);
  });
});

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

  it('leaves out the frame of a window mostly past the end of a device’s stream (or before its start), and still judges its health', async () => {
    const { model } = await loadWindowModel(MODEL_DIR);
    const scorer = sensorWindowScorer(model, sensorHealthConfig({ channels: PUMP_SENSOR_HEALTH_RULES }));
    const pump = (i: number) => ({
      rpm: 1480 + 3 * Math.sin(i),
      motor_current: 20 + 0.3 * Math.cos(i),
      vibration_rms: 2 + 0.1 * Math.sin(2 * i),
      bearing_temp: 60 + 0.05 * i,
      motor_temp: 70 + 0.05 * Math.cos(i),
      pressure: 3.5 + 0.02 * Math.sin(3 * i),
      flow: 120 + 0.5 * Math.cos(2 * i),
    });
    const running = window(pump);
    expect(scorer.frame(running)).toBeDefined();
    // The device went quiet 1 s into the window (its last 2 s are no observation of the machine): no frame.
    const lastOne: AlignedWindow = { ...window(pump), sensor: running.sensor.slice(0, 10), streamEndMs: 10_900 };
    expect(scorer.frame(lastOne)).toBeUndefined();
    // Quiet after 2 s: two thirds of the window are the stream's, enough to score.
    expect(scorer.frame({ ...window(pump), sensor: running.sensor.slice(0, 20), streamEndMs: 11_900 })).toBeDefined();
    // Start-up: the device's first reading 2 s into the window.
    expect(scorer.frame({ ...window(pump), sensor: running.sensor.slice(20), firstEventMs: { SENSOR: 12_000 } })).toBeUndefined();
    // Health still judges the readings there are: none of its faults for a healthy stream, a frozen channel reported.
    expect(scorer.health!(lastOne)).toEqual([]);
    const frozen = window((i) => ({ ...pump(i), pressure: 3.5 }));
    const frozenLast: AlignedWindow = { ...frozen, sensor: frozen.sensor.slice(0, 10), streamEndMs: 10_900 };
    expect(scorer.health!(frozenLast).map((f) => [f.channel, f.kind])).toEqual([['pressure', 'STUCK']]);
  });
});

/**
 * Small scenarios for unit specs: a few synthetic devices for a few seconds, built in code so each spec states
 * exactly what it varies.
 *
 * @example
 *   const scenario = testScenario({ devices: 2, durationS: 5, faults: [{ device: 'dev-0001', type: 'bearing_wear', startS: 2, endS: 5 }] });
 */
import { validateScenario } from '../scenario/scenario-parser';
import type { Scenario } from '../scenario/scenario.types';

export const TEST_START_MS = Date.UTC(2026, 0, 1, 12, 0, 0);

export interface TestScenarioOptions {
  devices?: number;
  durationS?: number;
  seed?: number;
  sensorHz?: number;
  audio?: boolean;
  image?: boolean;
  timing?: Record<string, unknown>;
  faults?: Array<Record<string, unknown>>;
  random?: Record<string, unknown>;
}

export function testScenario(opts: TestScenarioOptions = {}): Scenario {
  return validateScenario({
    name: 'test',
    seed: opts.seed ?? 7,
    durationS: opts.durationS ?? 4,
    startTimeMs: TEST_START_MS,
    fleet: [
      {
        name: 'pumps',
        count: opts.devices ?? 2,
        sensor: { source: 'synthetic', rateHz: opts.sensorHz ?? 10 },
        ...(opts.audio === false ? {} : { audio: { source: 'synthetic', chunkS: 0.5, sampleRate: 8000 } }),
        ...(opts.image === false ? {} : { image: { source: 'synthetic', periodS: 1, width: 32, height: 32 } }),
      },
    ],
    timing: opts.timing ?? { latencyMs: 20, jitterMs: 10 },
    faults: { scheduled: opts.faults ?? [], ...(opts.random ? { random: opts.random } : {}) },
  });
}

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from './scenario-parser';

const SCENARIO_DIR = path.resolve(__dirname, '..', '..', 'scenarios');

describe('parseScenario', () => {
  it.each(readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')))('accepts the committed scenario %s', (file) => {
    const scenario = parseScenario(readFileSync(path.join(SCENARIO_DIR, file), 'utf8'));
    expect(scenario.fleet.length).toBeGreaterThan(0);
    expect(scenario.durationMs).toBeGreaterThan(0);
  });

  it('fills defaults and converts seconds to milliseconds', () => {
    const scenario = parseScenario(`
name: tiny
seed: 3
durationS: 2.5
fleet:
  - count: 2
    sensor: { rateHz: 5 }
    audio: { chunkS: 0.5 }
faults:
  scheduled:
    - { device: dev-0001, type: bearing_wear, startS: 1, rampS: 0.5, endS: 2 }
`);
    expect(scenario.durationMs).toBe(2500);
    expect(scenario.fleet[0]).toMatchObject({ count: 2, idPrefix: 'dev', sensor: { source: 'synthetic', rateHz: 5 }, audio: { source: 'synthetic', chunkMs: 500, sampleRate: 16000 } });
    expect(scenario.fleet[0]!.image).toBeUndefined();
    expect(scenario.faults.scheduled[0]).toMatchObject({ startMs: 1000, rampMs: 500, endMs: 2000, severity: 1 });
    expect(scenario.timing.drop).toEqual({ sensor: 0, audio: 0, image: 0 });
  });

  it('reports every problem with its path', () => {
    let error: unknown;
    try {
      parseScenario(`
seed: 1
durationS: -1
fleet:
  - count: 0
    sensor: { source: lidar }
faults:
  scheduled:
    - { device: dev-0001, type: gremlins, startS: 5, endS: 2 }
`);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const problems = (error as ScenarioError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^durationS: expected a number > 0/),
        expect.stringMatching(/^fleet\[0\]\.count: expected an integer > 0/),
        expect.stringMatching(/^fleet\[0\]\.sensor\.source: expected one of synthetic, cmapss/),
        expect.stringMatching(/^faults\.scheduled\[0\]\.type: expected one of bearing_wear/),
        'faults.scheduled[0].endS: must be after startS',
      ]),
    );
  });
});

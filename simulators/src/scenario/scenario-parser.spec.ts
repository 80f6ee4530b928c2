import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, validateScenario } from './scenario-parser';

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
    expect(scenario.fleet[0]).toMatchObject({
      count: 2,
      idPrefix: 'dev',
      sensor: { source: 'synthetic', rateHz: 5 },
      audio: { source: 'synthetic', chunkMs: 500, sampleRate: 16000 },
    });
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

  const problemsOf = (raw: unknown): string[] => {
    try {
      validateScenario(raw);
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems;
      throw e;
    }
    throw new Error('expected a ScenarioError');
  };
  const minimal = { seed: 1, durationS: 1, fleet: [{ sensor: {} }] };

  it.each<[string, unknown, string]>([
    [
      'a rate that is not a number',
      { ...minimal, fleet: [{ sensor: { rateHz: 'fast' } }] },
      'fleet[0].sensor.rateHz: expected a number > 0 <= 1000, got "fast"',
    ],
    ['a rate of zero', { ...minimal, fleet: [{}, { sensor: { rateHz: 0 } }] }, 'fleet[1].sensor.rateHz: expected a number > 0 <= 1000, got 0'],
    ['a section that is not a mapping', { ...minimal, timing: [1] }, 'timing: expected a mapping'],
    ['a fleet that is not a list', { ...minimal, fleet: { count: 2 } }, 'fleet: expected a list'],
    ['an empty fleet', { ...minimal, fleet: [] }, 'fleet: expected at least one device group'],
    ['a missing seed', { durationS: 1, fleet: [{}] }, 'seed: expected an integer or a non-empty string, got undefined'],
    ['an empty string seed', { ...minimal, seed: '' }, 'seed: expected a non-empty string, got ""'],
    ['a fractional seed', { ...minimal, seed: 1.5 }, 'seed: expected an integer, got 1.5'],
    [
      'an unknown image source',
      { ...minimal, fleet: [{ image: { source: 'lidar' } }] },
      'fleet[0].image.source: expected one of synthetic, mvtec, got "lidar"',
    ],
    [
      'an outage of an unknown modality',
      { ...minimal, timing: { outages: [{ device: 'd', modality: 'smell' }] } },
      'timing.outages[0].modality: expected one of sensor, audio, image, got "smell"',
    ],
    [
      'an unknown random fault type',
      { ...minimal, faults: { random: { types: ['overheating', 'gremlins'] } } },
      'faults.random.types[1]: expected one of bearing_wear, overheating, cavitation, sensor_stuck, got "gremlins"',
    ],
    [
      'random severities out of order',
      { ...minimal, faults: { random: { minSeverity: 0.9, maxSeverity: 0.5 } } },
      'faults.random.maxSeverity: must be >= minSeverity',
    ],
    [
      'a ramp longer than its fault',
      { ...minimal, faults: { scheduled: [{ device: 'd', type: 'overheating', startS: 0, endS: 1, rampS: 2 }] } },
      'faults.scheduled[0].rampS: must fit between startS and endS',
    ],
    ['a scenario that is not a mapping', 'just text', 'scenario: expected a mapping'],
  ])('names the field of %s', (_case, raw, problem) => {
    expect(problemsOf(raw)).toContain(problem);
  });

  it('takes a string or an integer seed', () => {
    expect(validateScenario({ ...minimal, seed: 'pump-yard' }).seed).toBe('pump-yard');
    expect(validateScenario({ ...minimal, seed: 42 }).seed).toBe(42);
  });

  it("treats empty YAML values as not set and fills each source's own defaults", () => {
    const scenario = parseScenario(`
seed: 1
durationS: 10
startTimeMs:
fleet:
  - sensor: { source: cmapss }
    audio: { source: mimii }
    image:
  - image: { source: mvtec, periodS: 2 }
timing:
  outages: [{ device: dev-0001, modality: audio, startS: 3 }]
faults:
  random: { count: 2 }
`);
    expect(scenario.startTimeMs).toBeUndefined();
    expect(scenario.fleet[0]).toEqual({
      name: 'devices',
      count: 1,
      idPrefix: 'dev',
      sensor: { source: 'cmapss', rateHz: 10, firstUnit: 1, degradedRulCycles: 30 },
      audio: { source: 'mimii', chunkMs: 1000, machine: undefined },
      image: undefined,
    });
    expect(scenario.fleet[1]!.image).toEqual({ source: 'mvtec', periodMs: 2000, category: 'magnetic_tile' });
    expect(scenario.timing).toEqual({
      latencyMs: 30,
      jitterMs: 20,
      late: { probability: 0, minDelayMs: 2000, maxDelayMs: 10000 },
      clockSkewMs: 0,
      drop: { sensor: 0, audio: 0, image: 0 },
      outages: [{ device: 'dev-0001', modality: 'audio', startMs: 3000, durationMs: Number.POSITIVE_INFINITY }],
    });
    expect(scenario.faults.random).toEqual({
      count: 2,
      types: ['bearing_wear', 'overheating', 'cavitation', 'sensor_stuck'],
      minDurationMs: 10000,
      maxDurationMs: 30000,
      minSeverity: 0.5,
      maxSeverity: 1,
      rampFraction: 0.3,
    });
  });
});

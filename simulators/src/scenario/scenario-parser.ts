/**
 * Scenario files (YAML or JSON, parsed with `yaml`, which reads both) → a validated `Scenario` with defaults
 * filled in and seconds turned into milliseconds. Every problem names its path, e.g.
 * `fleet[0].audio.chunkS: expected a positive number, got "1s"`; all problems are reported at once.
 *
 * @example
 *   const scenario = parseScenario(readFileSync('simulators/scenarios/fleet-50.yaml', 'utf8'));
 *   scenario.fleet[0].sensor; // { source: 'synthetic', rateHz: 10 }
 */
import { parse as parseYaml } from 'yaml';
import { MODALITY_STREAMS, type ModalityStream } from '../simulation/sim-event';
import {
  FAULT_TYPES,
  type AudioSourceConfig,
  type DeviceGroup,
  type FaultType,
  type ImageSourceConfig,
  type Outage,
  type RandomFaults,
  type Scenario,
  type ScheduledFault,
  type SensorSourceConfig,
  type TimingConfig,
} from './scenario.types';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n  ${problems.join('\n  ')}`);
  }
}

type Obj = Record<string, unknown>;
const S = 1000;

/** Reads fields of one object, collecting problems instead of throwing at the first. */
class FieldReader {
  constructor(
    private readonly problems: string[],
    private readonly path: string,
    private readonly obj: Obj,
  ) {}

  static of(problems: string[], path: string, value: unknown): FieldReader {
    if (value === undefined || value === null) return new FieldReader(problems, path, {});
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(`${path}: expected a mapping`);
      return new FieldReader(problems, path, {});
    }
    return new FieldReader(problems, path, value as Obj);
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined && this.obj[key] !== null;
  }

  child(key: string): FieldReader {
    return FieldReader.of(this.problems, this.at(key), this.obj[key]);
  }

  /** Readers for the items of a list field (each item must be a mapping). */
  items(key: string): FieldReader[] {
    return this.list(key).map(({ path, value }) => FieldReader.of(this.problems, path, value));
  }

  list(key: string): Array<{ path: string; value: unknown }> {
    const value = this.obj[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.problems.push(`${this.at(key)}: expected a list`);
      return [];
    }
    return value.map((item, i) => ({ path: `${this.at(key)}[${i}]`, value: item }));
  }

  number(key: string, fallback: number | undefined, check: { min?: number; max?: number; integer?: boolean; positive?: boolean } = {}): number {
    const value = this.obj[key] ?? fallback;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (check.min === undefined || value >= check.min) &&
      (check.max === undefined || value <= check.max) &&
      (!check.integer || Number.isInteger(value)) &&
      (!check.positive || value > 0);
    if (!ok) {
      const want = [check.integer ? 'an integer' : 'a number', check.positive ? '> 0' : '', check.min !== undefined ? `>= ${check.min}` : '', check.max !== undefined ? `<= ${check.max}` : '']
        .filter(Boolean)
        .join(' ');
      this.problems.push(`${this.at(key)}: expected ${want}, got ${JSON.stringify(value)}`);
      return fallback ?? 0;
    }
    return value as number;
  }

  string(key: string, fallback?: string): string {
    const value = this.obj[key] ?? fallback;
    if (typeof value !== 'string' || value === '') {
      this.problems.push(`${this.at(key)}: expected a non-empty string, got ${JSON.stringify(value)}`);
      return fallback ?? '';
    }
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const value = this.obj[key] ?? fallback;
    if (!allowed.includes(value as T)) {
      this.problems.push(`${this.at(key)}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
      return fallback ?? allowed[0]!;
    }
    return value as T;
  }

  stringList(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    return this.list(key).map(({ path, value }) => {
      if (typeof value !== 'string') this.problems.push(`${path}: expected a string`);
      return String(value);
    });
  }

  problem(key: string, message: string): void {
    this.problems.push(`${this.at(key)}: ${message}`);
  }

  private at(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}

export function parseScenario(text: string): Scenario {
  return validateScenario(parseYaml(text));
}

export function validateScenario(raw: unknown): Scenario {
  const problems: string[] = [];
  const root = FieldReader.of(problems, '', raw);
  const seed = root.has('seed') && typeof (raw as Obj).seed === 'string' ? root.string('seed') : root.number('seed', undefined, { integer: true });
  const durationMs = root.number('durationS', undefined, { positive: true }) * S;
  const scenario: Scenario = {
    name: root.string('name', 'unnamed'),
    seed,
    durationMs,
    startTimeMs: root.has('startTimeMs') ? root.number('startTimeMs', undefined, { integer: true, min: 0 }) : undefined,
    fleet: root.items('fleet').map(readGroup),
    timing: readTiming(root.child('timing')),
    faults: {
      scheduled: root.child('faults').items('scheduled').map(readScheduledFault),
      random: root.child('faults').has('random') ? readRandomFaults(root.child('faults').child('random')) : undefined,
    },
  };
  if (scenario.fleet.length === 0) problems.push('fleet: expected at least one device group');
  if (problems.length > 0) throw new ScenarioError(problems);
  return scenario;
}

function readGroup(group: FieldReader): DeviceGroup {
  return {
    name: group.string('name', 'devices'),
    count: group.number('count', 1, { integer: true, positive: true }),
    idPrefix: group.string('idPrefix', 'dev'),
    sensor: group.has('sensor') ? readSensor(group.child('sensor')) : undefined,
    audio: group.has('audio') ? readAudio(group.child('audio')) : undefined,
    image: group.has('image') ? readImage(group.child('image')) : undefined,
  };
}

function readSensor(sensor: FieldReader): SensorSourceConfig {
  const source = sensor.oneOf('source', ['synthetic', 'cmapss'] as const, 'synthetic');
  const rateHz = sensor.number('rateHz', 10, { positive: true, max: 1000 });
  if (source === 'synthetic') return { source, rateHz };
  return {
    source,
    rateHz,
    firstUnit: sensor.number('firstUnit', 1, { integer: true, min: 1 }),
    degradedRulCycles: sensor.number('degradedRulCycles', 30, { integer: true, min: 1 }),
  };
}

function readAudio(audio: FieldReader): AudioSourceConfig {
  const source = audio.oneOf('source', ['synthetic', 'mimii'] as const, 'synthetic');
  const chunkMs = audio.number('chunkS', 1, { positive: true, max: 10 }) * S;
  if (source === 'mimii') return { source, chunkMs, machine: audio.optionalString('machine') };
  return { source, chunkMs, sampleRate: audio.number('sampleRate', 16000, { integer: true, min: 1000, max: 96000 }) };
}

function readImage(image: FieldReader): ImageSourceConfig {
  const source = image.oneOf('source', ['synthetic', 'mvtec'] as const, 'synthetic');
  const periodMs = image.number('periodS', 5, { positive: true }) * S;
  if (source === 'mvtec') return { source, periodMs, category: image.string('category', 'magnetic_tile') };
  return {
    source,
    periodMs,
    width: image.number('width', 64, { integer: true, min: 8, max: 1024 }),
    height: image.number('height', 64, { integer: true, min: 8, max: 1024 }),
  };
}

function readTiming(timing: FieldReader): TimingConfig {
  const late = timing.child('late');
  const drop = timing.child('drop');
  return {
    latencyMs: timing.number('latencyMs', 30, { min: 0 }),
    jitterMs: timing.number('jitterMs', 20, { min: 0 }),
    late: {
      probability: late.number('probability', 0, { min: 0, max: 1 }),
      minDelayMs: late.number('minDelayMs', 2000, { min: 0 }),
      maxDelayMs: late.number('maxDelayMs', 10000, { min: 0 }),
    },
    clockSkewMs: timing.number('clockSkewMs', 0, { min: 0 }),
    drop: Object.fromEntries(MODALITY_STREAMS.map((m) => [m, drop.number(m, 0, { min: 0, max: 1 })])) as Record<ModalityStream, number>,
    outages: timing.items('outages').map(
      (reader): Outage => ({
        device: reader.string('device'),
        modality: reader.oneOf('modality', MODALITY_STREAMS),
        startMs: reader.number('startS', 0, { min: 0 }) * S,
        durationMs: reader.has('durationS') ? reader.number('durationS', undefined, { positive: true }) * S : Number.POSITIVE_INFINITY,
      }),
    ),
  };
}

function readScheduledFault(fault: FieldReader): ScheduledFault {
  const startMs = fault.number('startS', undefined, { min: 0 }) * S;
  const endMs = fault.number('endS', undefined, { positive: true }) * S;
  const rampMs = fault.number('rampS', 0, { min: 0 }) * S;
  if (endMs <= startMs) fault.problem('endS', 'must be after startS');
  if (rampMs > endMs - startMs) fault.problem('rampS', 'must fit between startS and endS');
  return {
    id: fault.optionalString('id'),
    device: fault.string('device'),
    type: fault.oneOf<FaultType>('type', FAULT_TYPES),
    startMs,
    rampMs,
    endMs,
    severity: fault.number('severity', 1, { positive: true, max: 1 }),
    channels: fault.stringList('channels'),
  };
}

function readRandomFaults(random: FieldReader): RandomFaults {
  const types = random.stringList('types') ?? [...FAULT_TYPES];
  for (const type of types) if (!FAULT_TYPES.includes(type as FaultType)) random.problem('types', `unknown fault type "${type}" (known: ${FAULT_TYPES.join(', ')})`);
  const result: RandomFaults = {
    count: random.number('count', 0, { integer: true, min: 0 }),
    types: types as FaultType[],
    minDurationMs: random.number('minDurationS', 10, { positive: true }) * S,
    maxDurationMs: random.number('maxDurationS', 30, { positive: true }) * S,
    minSeverity: random.number('minSeverity', 0.5, { positive: true, max: 1 }),
    maxSeverity: random.number('maxSeverity', 1, { positive: true, max: 1 }),
    rampFraction: random.number('rampFraction', 0.3, { min: 0, max: 1 }),
  };
  if (result.maxDurationMs < result.minDurationMs) random.problem('maxDurationS', 'must be >= minDurationS');
  if (result.maxSeverity < result.minSeverity) random.problem('maxSeverity', 'must be >= minSeverity');
  return result;
}

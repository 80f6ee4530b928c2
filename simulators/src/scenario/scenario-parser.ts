/**
 * Scenario files (YAML or JSON, parsed with `yaml`, which reads both) → a validated `Scenario` with defaults
 * filled in and seconds turned into milliseconds, by the zod schema in `scenario.schema.ts`. Every problem
 * names its path, e.g. `fleet[0].audio.chunkS: expected a number > 0 <= 10, got "1s"`; all problems are
 * reported at once.
 *
 * @example
 *   const scenario = parseScenario(readFileSync('simulators/scenarios/fleet-50.yaml', 'utf8'));
 *   scenario.fleet[0].sensor; // { source: 'synthetic', rateHz: 10 }
 */
import { parse as parseYaml } from 'yaml';
import { problemList, withoutNulls } from './scenario-fields';
import { scenarioSchema } from './scenario.schema';
import type { Scenario } from './scenario.types';

export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n  ${problems.join('\n  ')}`);
  }
}

export function parseScenario(text: string): Scenario {
  return validateScenario(parseYaml(text));
}

export function validateScenario(raw: unknown): Scenario {
  const result = scenarioSchema.safeParse(withoutNulls(raw));
  if (!result.success) throw new ScenarioError(problemList(result.error, 'scenario'));
  return result.data;
}

/**
 * The one place a process reads its environment. Each process (service, script, benchmark) declares one zod
 * schema — usually an `.extend()` of the shared fragments in ./fragments.ts — and calls `loadConfig()` once at
 * start-up: values are trimmed, coerced and validated, and a bad or missing value fails fast with every
 * offending variable named, before anything connects anywhere.
 *
 * @example
 *   const schema = kafkaConfig.extend(httpConfig('DETECTOR', 9464).shape);
 *   const cfg = loadConfig(schema);           // typed; throws ConfigError naming each bad variable
 */
import type { z } from 'zod';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly { variable: string; message: string }[],
    readonly scope: string,
  ) {
    super(`invalid ${scope} configuration: ${problems.map((p) => `${p.variable}: ${p.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses `env` (default: the process environment) with `schema`. Empty strings count as unset, so
 * `FOO= cmd` falls back to the default like an absent variable does, instead of failing a number check.
 */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env: Env = processEnv(), scope = 'process'): z.infer<S> {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const trimmed = value?.trim();
    if (trimmed !== undefined && trimmed !== '') cleaned[key] = trimmed;
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: i.path.join('.') || '(config)', message: i.message })),
      scope,
    );
  }
  return parsed.data as z.infer<S>;
}

/**
 * The process environment: the only read of `process.env` in the code base (the lint rule allows this file).
 * Child processes that inherit the environment get it from here too.
 */
export function processEnv(): Env {
  return process.env;
}

/**
 * Flag parsing for the vigil commands: `--name value` pairs, checked against what the command accepts so a
 * typo fails with the list of valid flags instead of being ignored.
 *
 * @example
 *   const flags = parseArgs(argv, { required: ['csv', 'out'], optional: ['exclude'] });
 *   flags.get('csv');
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface FlagSpec {
  required: readonly string[];
  optional: readonly string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): Map<string, string> {
  const known = new Set([...spec.required, ...spec.optional]);
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!known.has(name)) throw new UsageError(`unknown flag --${name} (accepted: ${[...known].map((k) => `--${k}`).join(' ')})`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    flags.set(name, value);
  }
  const missing = spec.required.filter((r) => !flags.has(r));
  if (missing.length) throw new UsageError(`missing ${missing.map((m) => `--${m}`).join(', ')}`);
  return flags;
}

export function numberFlag(flags: Map<string, string>, name: string, fallback: number, { min = Number.NEGATIVE_INFINITY, integer = false } = {}): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${raw}"`);
  }
  return value;
}

export function listFlag(flags: Map<string, string>, name: string): string[] {
  return (flags.get(name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

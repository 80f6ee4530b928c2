/**
 * The zod building blocks of the scenario schema, each with the message a scenario author should read
 * (`expected an integer > 0, got 0`) instead of zod's generic one, and `problemList` that prefixes each
 * message with the offending path (`fleet[0].sensor.rateHz`).
 *
 * @example
 *   const rate = number({ positive: true, max: 1000 }).default(10);
 *   rate.safeParse(0).error?.issues[0]?.message; // 'expected a number > 0 <= 1000, got 0'
 */
import { z } from 'zod';

export const MS_PER_S = 1000;

export interface NumberRule {
  integer?: boolean;
  positive?: boolean;
  min?: number;
  max?: number;
}

const got = (value: unknown): string => `got ${JSON.stringify(value)}`;

/** A finite number within `rule`; every failure states the whole rule, not only the broken part. */
export function number(rule: NumberRule = {}): z.ZodNumber {
  const want = [
    rule.integer ? 'an integer' : 'a number',
    rule.positive ? '> 0' : '',
    rule.min !== undefined ? `>= ${rule.min}` : '',
    rule.max !== undefined ? `<= ${rule.max}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  let schema = z.number({ errorMap: (_issue, ctx) => ({ message: `expected ${want}, ${got(ctx.data)}` }) }).finite();
  if (rule.integer) schema = schema.int();
  if (rule.positive) schema = schema.positive();
  if (rule.min !== undefined) schema = schema.min(rule.min);
  if (rule.max !== undefined) schema = schema.max(rule.max);
  return schema;
}

/** Scenario files speak seconds; the simulator speaks milliseconds. */
export function seconds(rule: NumberRule = {}) {
  return number(rule).transform((s) => s * MS_PER_S);
}

export function text(): z.ZodString {
  return z.string({ errorMap: (_issue, ctx) => ({ message: `expected a non-empty string, ${got(ctx.data)}` }) }).min(1);
}

export function oneOf<T extends string>(values: readonly [T, ...T[]]) {
  return z.enum(values as [T, ...T[]], { errorMap: (_issue, ctx) => ({ message: `expected one of ${values.join(', ')}, ${got(ctx.data)}` }) });
}

export function mapping<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, { errorMap: () => ({ message: 'expected a mapping' }) });
}

export function list<T extends z.ZodTypeAny>(item: T) {
  return z.array(item, { errorMap: () => ({ message: 'expected a list' }) });
}

/**
 * A section whose `source` picks its fields, with `source` defaulting to the first (synthetic) member;
 * zod's discriminated union needs the discriminator present, hence the preprocessing.
 */
export function sourceUnion<Members extends [z.ZodDiscriminatedUnionOption<'source'>, ...z.ZodDiscriminatedUnionOption<'source'>[]]>(
  defaultSource: string,
  members: Members,
) {
  const union = z.discriminatedUnion('source', members, {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator
        ? { message: `expected one of ${issue.options.map(String).join(', ')}, ${got((ctx.data as { source?: unknown }).source)}` }
        : { message: 'expected a mapping' },
  });
  return z.preprocess((value) => (isPlainObject(value) && value['source'] === undefined ? { ...value, source: defaultSource } : value), union);
}

/** YAML writes an empty value (`sensor:`) as null; scenario files mean "not set", so null keys are dropped. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** `fleet[0].sensor.rateHz: expected …` for every issue, each once (an intersection may report a bad mapping twice). */
export function problemList(error: z.ZodError, root: string): string[] {
  const lines = error.issues.map((issue) => `${formatPath(issue.path) || root}: ${issue.message}`);
  return [...new Set(lines)];
}

function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Typed option values for the commander programs: each parser turns the raw text into a number or rejects it
 * with commander's `InvalidArgumentError`, which main.ts maps to exit code 2 with the option named.
 *
 * @example
 *   new Command().option('--window <rows>', 'window length', integerIn(2), 16);
 */
import { InvalidArgumentError } from 'commander';

export const integerIn =
  (min: number, max = Number.MAX_SAFE_INTEGER) =>
  (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}], got "${raw}"`);
    return value;
  };

export const numberIn =
  (min: number, max: number, { exclusive = false } = {}) =>
  (raw: string): number => {
    const value = Number(raw);
    const inside = exclusive ? value > min && value < max : value >= min && value <= max;
    if (raw.trim() === '' || !Number.isFinite(value) || !inside)
      throw new InvalidArgumentError(`expected a number in ${exclusive ? '(' : '['}${min}, ${max}${exclusive ? ')' : ']'}, got "${raw}"`);
    return value;
  };

export const commaList = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const DELIMITER_NAMES = { ',': ',', ';': ';', tab: '\t', '\\t': '\t', '|': '|' } as const;
export const delimiterArg = (raw: string): ',' | ';' | '\t' | '|' => {
  const delimiter = (DELIMITER_NAMES as Record<string, ',' | ';' | '\t' | '|'>)[raw];
  if (!delimiter) throw new InvalidArgumentError(`expected one of , ; tab |, got "${raw}"`);
  return delimiter;
};

/**
 * The CLI's error classes. Both mean "the user can fix this" and exit with code 2 (see main.ts): a `UsageError`
 * is about flags and their combination, an `InputError` about a data file (its message names the file, the
 * line and the column).
 */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export class InputError extends Error {
  override readonly name = 'InputError';
}

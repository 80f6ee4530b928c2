/**
 * The shape the validation suite checks: a column-oriented table, each column an array (or typed array) of the
 * same length. Helpers build one from row objects or from a `[steps][channels]` window.
 *
 * @example
 *   const table = tableFromRows([{ t: 0, x: 1.5 }, { t: 1, x: 2 }]);    // { t: [0, 1], x: [1.5, 2] }
 *   const fromWindow = tableFromWindow(batch.data, 30, ['s2', 's3']);  // one column per channel
 */

export type Column = ArrayLike<unknown>;
export type Table = Readonly<Record<string, Column>>;

/** Columns from row objects; a key missing in some rows becomes `undefined` there. */
export function tableFromRows(rows: readonly Readonly<Record<string, unknown>>[]): Table {
  const names = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return Object.fromEntries(names.map((name) => [name, rows.map((row) => row[name])]));
}

/** One column per channel of a row-major `[steps][channels]` window. */
export function tableFromWindow(data: ArrayLike<number>, steps: number, channelNames: readonly string[]): Table {
  const channels = channelNames.length;
  if (data.length !== steps * channels) throw new RangeError(`expected ${steps}×${channels} values, got ${data.length}`);
  return Object.fromEntries(channelNames.map((name, c) => [name, Float64Array.from({ length: steps }, (_, t) => data[t * channels + c]!)]));
}

export function rowCount(table: Table): number {
  const lengths = Object.values(table).map((column) => column.length);
  return lengths.length === 0 ? 0 : Math.max(...lengths);
}

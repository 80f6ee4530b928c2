/**
 * A set of points in row-major order: `count` rows of `dim` values. The drift tests take latent windows in this
 * shape so a window can be a view into a ring buffer without copying into arrays of arrays.
 *
 * @example
 *   const points = pointsFromRows([[0, 1], [2, 3]]); // count 2, dim 2
 */

export interface Points {
  readonly values: ArrayLike<number>;
  readonly count: number;
  readonly dim: number;
}

export class DriftInputError extends Error {
  readonly retriable = false;
  constructor(message: string) {
    super(message);
    this.name = 'DriftInputError';
  }
}

export function pointsFromRows(rows: readonly (readonly number[])[]): Points {
  const dim = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new DriftInputError(`row ${i} has ${row.length} values, expected ${dim}`);
    values.set(row, i * dim);
  });
  return { values, count: rows.length, dim };
}

/** One dimension of the points as its own array (for the per-dimension tests). */
export function column(points: Points, dimension: number): Float64Array {
  const out = new Float64Array(points.count);
  for (let i = 0; i < points.count; i++) out[i] = points.values[i * points.dim + dimension]!;
  return out;
}

export function assertSameDim(a: Points, b: Points): void {
  if (a.dim !== b.dim) throw new DriftInputError(`dimension mismatch: ${a.dim} vs ${b.dim}`);
  if (a.count < 2 || b.count < 2) throw new DriftInputError(`need at least 2 points per sample, got ${a.count} and ${b.count}`);
}

/** Median of a numeric array (the mean of the two middle values for an even length, as numpy does). */
export function median(values: Float64Array): number {
  if (values.length === 0) throw new DriftInputError('median of an empty array');
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : 0.5 * (sorted[mid - 1]! + sorted[mid]!);
}

/** Upper tail of the standard normal, erfc-based (Numerical Recipes' erfc, |rel. error| < 1.2e-7). */
export function normalSurvival(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const tau =
    t *
    Math.exp(
      -x * x -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  const erfc = x >= 0 ? tau : 2 - tau;
  return 0.5 * erfc;
}

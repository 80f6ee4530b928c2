/**
 * Spec helpers: read a reference fixture from `libs/features/fixtures/` (made by the `make_*.py` beside it) and
 * compare arrays with an error that names the worst index.
 *
 * @example
 *   const spectral = loadFixture<SpectralFixture>('spectral');
 *   expectAllClose(rfft(x).re, spectral.rfft[0].re, 1e-9);
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export function loadFixture<T>(name: string): T {
  return JSON.parse(readFileSync(path.resolve(__dirname, '..', 'fixtures', `${name}.json`), 'utf8')) as T;
}

/** Throws unless |actual − expected| ≤ atol + rtol·|expected| everywhere (numpy.allclose). */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ expected ${expected.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (atol + rtol * Math.abs(expected[i]!));
    if (!(excess <= worstExcess)) {
      worst = i;
      worstExcess = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
    }
  }
  if (worst >= 0) throw new Error(`index ${worst}: ${actual[worst]} vs expected ${expected[worst]} (atol ${atol}, rtol ${rtol}) of ${expected.length}`);
}

import { describe, expect, it } from 'vitest';
import { references } from './drift-references.test-helpers';
import { populationStabilityIndex } from './population-stability';

describe('populationStabilityIndex against the NumPy reference', () => {
  it.each(references.psi.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    expect(populationStabilityIndex(c.reference, c.current)).toBeCloseTo(c.psi, 10);
  });

  it('is 0 for the reference itself and grows with the shift', () => {
    const reference = references.psi[0]!.reference;
    expect(populationStabilityIndex(reference, reference)).toBe(0);
    const shifted = (by: number) =>
      populationStabilityIndex(
        reference,
        reference.map((v) => v + by),
      );
    expect(shifted(0.2)).toBeLessThan(shifted(1));
  });
});

import { describe, expect, it } from 'vitest';
import { references } from './drift-references.test-helpers';
import { benjaminiHochberg } from './multiple-testing';

describe('benjaminiHochberg against scipy.stats.false_discovery_control', () => {
  it.each(references.benjaminiHochberg.map((c, i) => [i, c] as const))('case %i', (_, c) => {
    const adjusted = benjaminiHochberg(c.pValues);
    c.adjusted.forEach((expected, i) => expect(adjusted[i]).toBeCloseTo(expected, 12));
  });
});

import { describe, expect, it } from 'vitest';
import { withSeededMathRandom } from './seeded-initialisers';

describe('withSeededMathRandom', () => {
  const draw = () => Array.from({ length: 4 }, () => Math.random());

  it('gives the same Math.random stream for the same seed, another for another seed', () => {
    const a = withSeededMathRandom(7, draw);
    expect(withSeededMathRandom(7, draw)).toEqual(a);
    expect(withSeededMathRandom(8, draw)).not.toEqual(a);
  });

  it('puts the original Math.random back, also after a throw', () => {
    const original = Math.random;
    expect(() =>
      withSeededMathRandom(1, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(Math.random).toBe(original);
  });
});

import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random';

const draw = (rng: SeededRandom, n: number) => Array.from({ length: n }, () => rng.next());

describe('SeededRandom', () => {
  it('repeats the same sequence for the same key', () => {
    expect(draw(SeededRandom.forKey(42, 'dev-0001', 'sensor'), 50)).toEqual(draw(SeededRandom.forKey(42, 'dev-0001', 'sensor'), 50));
  });

  it.each([
    [42, ['dev-0002', 'sensor']],
    [43, ['dev-0001', 'sensor']],
    [42, ['dev-0001', 'audio']],
    ['42', ['dev-0001sensor']],
  ] as const)('gives an independent sequence for another key (%s, %j)', (seed, path) => {
    const base = draw(SeededRandom.forKey(42, 'dev-0001', 'sensor'), 20);
    expect(draw(SeededRandom.forKey(seed, ...path), 20)).not.toEqual(base);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const rng = SeededRandom.forKey(1, 'stats');
    const uniforms = draw(rng, 20_000);
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    const normals = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = normals.reduce((a, b) => a + b, 0) / normals.length;
    const variance = normals.reduce((a, b) => a + (b - mean) ** 2, 0) / normals.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(variance).toBeGreaterThan(0.96);
    expect(variance).toBeLessThan(1.04);
  });

  it('shuffles deterministically and keeps every item', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const a = SeededRandom.forKey(5, 'shuffle').shuffled(items);
    expect(SeededRandom.forKey(5, 'shuffle').shuffled(items)).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(a).not.toEqual(items);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@vigil/features';
import { afterAll, describe, expect, it } from 'vitest';
import { fitLatentDensity, InvalidLatentDensityError, LATENT_DENSITY_FILE, LatentDensity, loadLatentDensity, saveLatentDensity } from './latent-density';

/** `n` 2-D points around `centre` with standard deviations `sd`, correlated by `rho`, from a seeded generator. */
function cloud(n: number, centre: [number, number], sd: [number, number], rho: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const gauss = () => random.normal();
  const out = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [a, b] = [gauss(), gauss()];
    out[2 * i] = centre[0] + sd[0] * a;
    out[2 * i + 1] = centre[1] + sd[1] * (rho * a + Math.sqrt(1 - rho * rho) * b);
  }
  return out;
}

/** The closed form: sample mean and covariance, the ridge on the diagonal, the 2×2 inverse, √(δᵀ Σ⁻¹ δ). */
function closedFormDistance(points: Float64Array, x: [number, number], ridge: number): number {
  const n = points.length / 2;
  let [mx, my] = [0, 0];
  for (let i = 0; i < n; i++) [mx, my] = [mx + points[2 * i]! / n, my + points[2 * i + 1]! / n];
  let [sxx, sxy, syy] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const [dx, dy] = [points[2 * i]! - mx, points[2 * i + 1]! - my];
    [sxx, sxy, syy] = [sxx + (dx * dx) / (n - 1), sxy + (dx * dy) / (n - 1), syy + (dy * dy) / (n - 1)];
  }
  const r = ridge * ((sxx + syy) / 2) + 1e-9;
  [sxx, syy] = [sxx + r, syy + r];
  const det = sxx * syy - sxy * sxy;
  const [dx, dy] = [x[0] - mx, x[1] - my];
  return Math.sqrt((syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det);
}

describe('fitLatentDensity', () => {
  const tight = cloud(400, [0, 0], [0.1, 0.2], 0.5, 1);
  const wide = cloud(400, [10, -5], [2, 1], -0.3, 2);
  const density = fitLatentDensity(
    [
      { name: 'quiet', means: tight },
      { name: 'noisy', means: wide },
    ],
    2,
  );

  it("gives the Mahalanobis distance of the group's sample Gaussian (ridged), as the closed form does", () => {
    for (const x of [
      [0.05, -0.1],
      [0.3, 0.4],
      [-0.2, 0.3],
    ] as [number, number][])
      expect(density.nearest(x)).toEqual({ distance: expect.closeTo(closedFormDistance(tight, x, 0.01), 9), component: 'quiet' });
    expect(density.score([11, -4])).toBeCloseTo(closedFormDistance(wide, [11, -4], 0.01), 9);
  });

  it('judges a point against the nearest group, in that group’s own spread', () => {
    // Two standard deviations along x from each group's centre read about 2 for both, though 0.2 and 4 apart.
    const fromQuiet = density.nearest([0.2, 0.2 * 0.5 * 2]);
    const fromNoisy = density.nearest([14, -5 - 0.3 * 1 * 2]);
    expect(fromQuiet.component).toBe('quiet');
    expect(fromNoisy.component).toBe('noisy');
    expect(fromQuiet.distance).toBeCloseTo(2, 0);
    expect(fromNoisy.distance).toBeCloseTo(2, 0);
    // A reconstruction-like score (plain distance) would call the noisy point 20 times more anomalous.
    expect(Math.abs(fromQuiet.distance - fromNoisy.distance)).toBeLessThan(0.3);
  });

  it('reads the latent at an offset (one row of a batch)', () => {
    const batch = Float32Array.from([9, 9, 0.3, 0.4, 9, 9]);
    expect(density.score(batch, 2)).toBeCloseTo(density.score([0.3, 0.4]), 5);
  });

  it('refuses a group of fewer than two latents or a ragged one', () => {
    expect(() => fitLatentDensity([{ name: 'one', means: [1, 2] }], 2)).toThrow(InvalidLatentDensityError);
    expect(() => fitLatentDensity([{ name: 'ragged', means: [1, 2, 3] }], 2)).toThrow(/need at least two 2-dimensional latents/);
    expect(() => new LatentDensity(2, [])).toThrow(/at least one component/);
  });

  it('keeps a group of identical latents invertible (the floor under the ridge)', () => {
    const flat = fitLatentDensity([{ name: 'flat', means: [1, 1, 1, 1, 1, 1] }], 2);
    expect(flat.score([1, 1])).toBe(0);
    expect(Number.isFinite(flat.score([1.001, 1]))).toBe(true);
  });
});

describe('saveLatentDensity / loadLatentDensity', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'latent-density-'));
    dirs.push(dir);
    return dir;
  };

  it('round-trips to the same distances, bit for bit', async () => {
    const density = fitLatentDensity([{ name: 'a', means: cloud(50, [1, 2], [0.5, 0.5], 0.2, 3) }], 2);
    const dir = await tempDir();
    await saveLatentDensity(dir, density);
    const again = (await loadLatentDensity(dir))!;
    for (const x of [
      [0, 0],
      [1, 2],
      [3, -1],
    ])
      expect(again.score(x)).toBe(density.score(x));
  });

  it('gives undefined for a folder without one, and names the file of a malformed one', async () => {
    expect(await loadLatentDensity(await tempDir())).toBeUndefined();
    const dir = await tempDir();
    await writeFile(join(dir, LATENT_DENSITY_FILE), JSON.stringify({ kind: 'latent-gaussians', latentDim: 2, components: [{ name: 'a', count: 2, mean: [0], whitening: [1, 0, 0, 1] }] }));
    await expect(loadLatentDensity(dir)).rejects.toThrow(new RegExp(`${LATENT_DENSITY_FILE}: component a: expected a 2-dimensional mean`));
    await writeFile(join(dir, LATENT_DENSITY_FILE), '{"kind":"other"}');
    await expect(loadLatentDensity(dir)).rejects.toThrow(InvalidLatentDensityError);
  });
});

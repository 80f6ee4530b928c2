/**
 * Prints the MMD permutation test's false-positive rate on same-distribution samples and its power on shifted
 * latents (Gaussian, every dimension shifted by `shift` σ), over seeded trials — the figures the README quotes.
 *
 * Run: nice npx tsx libs/drift/scripts/mmd-calibration.ts [trials]
 */
import { seededRandom } from '@vigil/features';
import { mmdPermutationTest, type Points } from '../src';

const trials = Number(process.argv[2] ?? 1000);
const ALPHA = 0.05;

function gaussianPoints(seed: number, count: number, dim: number, shift: number): Points {
  const random = seededRandom(seed);
  const values = new Float64Array(count * dim);
  for (let i = 0; i < values.length; i++) values[i] = random.normal(shift, 1);
  return { values, count, dim };
}

function rejectionRate(count: number, dim: number, shift: number): number {
  let rejected = 0;
  for (let t = 0; t < trials; t++) {
    const x = gaussianPoints(100_000 + 2 * t, count, dim, 0);
    const y = gaussianPoints(100_001 + 2 * t, count, dim, shift);
    if (mmdPermutationTest(x, y, { permutations: 99, seed: t }).pValue <= ALPHA) rejected++;
  }
  return rejected / trials;
}

console.log(`MMD permutation test (99 permutations), α = ${ALPHA}, ${trials} trials per cell`);
console.log('n = m  dim  shift  rejection rate');
for (const [count, dim] of [
  [30, 8],
  [50, 16],
] as const) {
  for (const shift of [0, 0.1, 0.2, 0.3, 0.5]) {
    const rate = rejectionRate(count, dim, shift);
    console.log(
      `${String(count).padStart(5)}  ${String(dim).padStart(3)}  ${shift.toFixed(1).padStart(5)}  ${rate.toFixed(3)}${shift === 0 ? '  (false-positive rate)' : '  (power)'}`,
    );
  }
}

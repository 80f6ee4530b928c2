import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tf } from '@vigil/ml';
import { ssim } from './ssim';

interface SsimFixture {
  cases: { height: number; width: number; a: number[]; b: number[]; ssim: number }[];
}
const fixture = JSON.parse(readFileSync(path.resolve(__dirname, '../../../fixtures/ssim.json'), 'utf8')) as SsimFixture;

describe('ssim (against scikit-image, fixtures by scripts/make_ssim_fixtures.py)', () => {
  it.each(fixture.cases.map((c) => [`${c.height}×${c.width} → ${c.ssim.toFixed(4)}`, c] as const))('%s', (_, c) => {
    const value = tf.tidy(() => {
      const a = tf.tensor4d(c.a, [1, c.height, c.width, 1]);
      const b = tf.tensor4d(c.b, [1, c.height, c.width, 1]);
      return ssim(a, b).dataSync()[0]!;
    });
    expect(Math.abs(value - c.ssim)).toBeLessThan(1e-4);
  });

  it('does not leak tensors', () => {
    const a = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    ssim(a, a).dispose();
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});

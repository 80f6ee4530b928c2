/**
 * The threshold rule: a high quantile (the project's one quantile, `@vigil/features`) of scores on good images the
 * model did not train on. The quantile, not the maximum, keeps one odd held-out tile from setting it; the rule is
 * written into the manifest.
 */
import { quantile } from '@vigil/features';

export const DEFAULT_GOOD_QUANTILE = 0.99;

export function calibrateThreshold(goodScores: readonly number[], level = DEFAULT_GOOD_QUANTILE): { threshold: number; rule: string } {
  if (goodScores.length === 0) throw new Error('threshold calibration needs held-out good images');
  return { threshold: quantile(goodScores, level), rule: `quantile ${level} of ${goodScores.length} held-out good images` };
}

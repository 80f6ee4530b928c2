import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../scripts/provision-backbone';
import { backboneFiles, readRawWeights } from '../backbone/backbone-files';
import { BACKBONE_NORMALISATION } from '../backbone/efficientnet-lite.constants';
import { whiteningMatrix } from '@vigil/features';
import { toChw } from './backbone-input';

describe('backbone input', () => {
  it('normalises a 0..1 image channels-first with the backbone’s own scaling', () => {
    // 1×2 pixels, RGB: (0, 0.5, 1) and (127/255, 1, 0).
    const image = { height: 1, width: 2, channels: 3, data: Float32Array.from([0, 0.5, 1, 127 / 255, 1, 0]) };
    const chw = Array.from(toChw(image));
    const expected = [0, 127 / 255, 0.5, 1, 1, 0].map((v) => (v * 255 - 127) / 128);
    chw.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  // Why the scaling is (pixel − 127) / 128: the weights' own stem BatchNorm statistics (see BACKBONE_NORMALISATION).
  describe.skipIf(!existsSync(backboneFiles(defaultCacheDir()).weightsBin))('against the provisioned weights', () => {
    it('the stem BatchNorm’s running means imply inputs centred where (pixel − 127) / 128 puts ImageNet, not at 0', () => {
      const files = backboneFiles(defaultCacheDir());
      const weights = readRawWeights(files.weightsBin, files.weightsIndex);
      const stem = weights.get('_conv_stem.weight')!;
      const runningMean = weights.get('_bn0.running_mean')!.data;
      const [outChannels, inChannels] = stem.shape as [number, number, number, number];
      const perIn = stem.data.length / outChannels / inChannels;
      // running_mean[o] ≈ Σ_c (Σ_taps W[o, c]) · E[x_c]: least squares for E[x] (3 unknowns) by the normal equations,
      // (AᵀA)⁻¹ = WᵀW with W = L⁻¹ of the Cholesky factor (the Gaussian model's own whiteningMatrix).
      const sums = Array.from({ length: outChannels }, (_, o) =>
        Array.from({ length: inChannels }, (_, c) =>
          stem.data.subarray((o * inChannels + c) * perIn, (o * inChannels + c + 1) * perIn).reduce((a, b) => a + b, 0),
        ),
      );
      const ata = [0, 1, 2].map((i) => [0, 1, 2].map((j) => sums.reduce((a, row) => a + row[i]! * row[j]!, 0)));
      const atb = [0, 1, 2].map((i) => sums.reduce((a, row, o) => a + row[i]! * runningMean[o]!, 0));
      const w = whiteningMatrix(Float64Array.from(ata.flat()), 3, 0);
      const wb = [0, 1, 2].map((i) => [0, 1, 2].reduce((a, k) => a + w[i * 3 + k]! * atb[k]!, 0));
      const meanInput = [0, 1, 2].map((j) => [0, 1, 2].reduce((a, i) => a + w[i * 3 + j]! * wb[i]!, 0));
      const imagenetMean = [0.485, 0.456, 0.406];
      const underOurScaling = imagenetMean.map((m, c) => (m - BACKBONE_NORMALISATION.mean[c]!) / BACKBONE_NORMALISATION.std[c]!);
      // Under ImageNet normalisation every channel would sit near 0; the weights put blue well below red.
      expect(meanInput[2]! - meanInput[0]!).toBeLessThan(-0.05);
      expect(Math.min(...meanInput)).toBeLessThan(-0.1);
      meanInput.forEach((m, c) => expect(Math.abs(m - underOurScaling[c]!)).toBeLessThan(0.07));
    });
  });
});

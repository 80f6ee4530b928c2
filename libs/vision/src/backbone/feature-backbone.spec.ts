import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../scripts/provision-backbone';
import { backboneFiles } from './backbone-files';
import { FeatureBackbone } from './feature-backbone';

interface Reference {
  input: { shape: [number, number, number, number]; data: number[] };
  blocks: Record<string, { shape: number[]; data: number[] }>;
}

// The converted graph is provisioned by `npm run provision:backbone -w libs/vision` (part of the project's set-up).
const onnx = backboneFiles(defaultCacheDir()).onnx;

describe.skipIf(!existsSync(onnx))('EfficientNet-Lite0 converted to ONNX', () => {
  const reference = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/lite0-reference.json'), 'utf8')) as Reference;

  it('matches the NumPy forward pass of the original .pth weights at blocks 4, 10 and 14', async () => {
    const backbone = await FeatureBackbone.load(onnx, { threads: 1 });
    const outputs = await backbone.run(Float32Array.from(reference.input.data), reference.input.shape);
    for (const block of ['4', '10', '14']) {
      const expected = reference.blocks[block]!;
      const actual = outputs[`block${block}`]!;
      expect(actual.shape).toEqual(expected.shape);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < expected.data.length; i++) {
        worst = Math.max(worst, Math.abs(actual.data[i]! - expected.data[i]!));
        scale = Math.max(scale, Math.abs(expected.data[i]!));
      }
      // float32 through 15 blocks against a float64 reference: relative to the block's largest activation.
      expect(worst / scale).toBeLessThan(1e-4);
    }
    const features = outputs.features!;
    expect(features.shape).toEqual([1, 344, 8, 12]);
    await backbone.dispose();
  });
});

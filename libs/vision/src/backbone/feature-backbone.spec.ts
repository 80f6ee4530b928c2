import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../scripts/provision-backbone';
import { backboneFiles } from './backbone-files';
import { BACKBONE_NAME, FEATURE_BLOCKS, FEATURE_CHANNELS } from './efficientnet-lite.constants';
import { BACKBONE_OUTPUTS } from './efficientnet-lite.onnx-graph';
import { FeatureBackbone } from './feature-backbone';

interface Reference {
  input: { shape: [number, number, number, number]; data: number[] };
  blocks: Record<string, { shape: number[]; data: number[] }>;
}

// The converted graph is provisioned by `npm run provision:backbone -w libs/vision` (part of the project's set-up).
const onnx = backboneFiles(defaultCacheDir()).onnx;

describe.skipIf(!existsSync(onnx))(`${BACKBONE_NAME} converted to ONNX`, () => {
  const reference = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/backbone-reference.json'), 'utf8')) as Reference;

  it(`matches the NumPy forward pass of the original .pth weights at blocks ${FEATURE_BLOCKS.join(', ')}`, async () => {
    const backbone = await FeatureBackbone.load(onnx, { threads: 1 });
    const outputs = await backbone.run(Float32Array.from(reference.input.data), reference.input.shape);
    for (const [k, block] of FEATURE_BLOCKS.entries()) {
      const expected = reference.blocks[String(block)]!;
      const actual = outputs[BACKBONE_OUTPUTS[k]!]!;
      expect(actual.shape).toEqual(expected.shape);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < expected.data.length; i++) {
        worst = Math.max(worst, Math.abs(actual.data[i]! - expected.data[i]!));
        scale = Math.max(scale, Math.abs(expected.data[i]!));
      }
      // float32 through 20 blocks against a float64 reference: relative to the block's largest activation.
      expect(worst / scale).toBeLessThan(1e-4);
    }
    const features = outputs.features!;
    expect(features.shape).toEqual([1, FEATURE_CHANNELS, 8, 12]);
    await backbone.dispose();
  });
});

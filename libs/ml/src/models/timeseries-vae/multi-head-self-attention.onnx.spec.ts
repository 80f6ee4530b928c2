import { describe, expect, it } from 'vitest';
import { maxAbsDifference, oneLayerModel } from '../../onnx/onnx-parity.test-helpers';
import { transformerEncoder } from './encoders';
import { MultiHeadSelfAttention } from './multi-head-self-attention.layer';
import './multi-head-self-attention.onnx';
import { resolveTimeSeriesVaeConfig } from './timeseries-vae-config';

describe('ONNX export of the transformer encoder', () => {
  it('the attention layer matches tfjs in ONNX Runtime', async () => {
    expect(await maxAbsDifference(oneLayerModel(new MultiHeadSelfAttention({ heads: 2 }), [6, 8]), 17)).toBeLessThan(1e-4);
  });

  it('the whole encoder (token embedding, attention, fast layer norm, heads) matches tfjs', async () => {
    const config = resolveTimeSeriesVaeConfig({ steps: 10, channels: 3, encoder: 'transformer', transformer: { modelDim: 8, heads: 2, feedForwardDim: 16 } });
    expect(await maxAbsDifference(transformerEncoder(config), 23)).toBeLessThan(1e-4);
  });
});

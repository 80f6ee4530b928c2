import { DEFAULT_MULTIMODAL_VAE_CONFIG, multimodalInputShape } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import { multimodalFrameShapes } from './multimodal-frame-shapes';

const metadata = {
  features: { sensor: { channels: ['flow', 'pressure'] }, audio: { sampleRate: 16_000 }, image: { overdueAfterMs: 12_000 } },
  data: { windowMs: 3000 },
};

describe('multimodalFrameShapes', () => {
  it('takes the input shapes from the config and the rest from the metadata', () => {
    const { shapes, windowMs } = multimodalFrameShapes(DEFAULT_MULTIMODAL_VAE_CONFIG, metadata, 'models/m/v1');
    const [height, width, channels] = multimodalInputShape(DEFAULT_MULTIMODAL_VAE_CONFIG, 'image');
    expect(shapes.sensor).toEqual({ channels: ['flow', 'pressure'], steps: multimodalInputShape(DEFAULT_MULTIMODAL_VAE_CONFIG, 'sensor')[0] });
    expect(shapes.audio.sampleRate).toBe(16_000);
    expect(shapes.image).toEqual({ height, width, channels, overdueAfterMs: 12_000 });
    expect(windowMs).toBe(3000);
  });

  it('leaves the window length out when the metadata does not record it', () => {
    expect(multimodalFrameShapes(DEFAULT_MULTIMODAL_VAE_CONFIG, { features: metadata.features }, 'm').windowMs).toBeUndefined();
  });

  it('names the model and every missing field', () => {
    expect(() => multimodalFrameShapes(DEFAULT_MULTIMODAL_VAE_CONFIG, { features: { sensor: { channels: [] } } }, 'models/m/v2')).toThrow(
      /models\/m\/v2: model metadata lacks the frame shapes \(features\.sensor\.channels: .*; features\.audio: .*; features\.image: /,
    );
  });
});

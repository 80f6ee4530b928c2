/**
 * The frame shapes a fused multimodal model was trained on: the input shapes from its config, the sensor
 * channel names, audio sample rate and image overdue time from its manifest's metadata (written by
 * libs/ml/eval/multimodal.train.ts). One reading for every place that serves the model — the detector's FUSED
 * scorer and the API's multimodal prediction — so both build a window's inputs the same way.
 *
 * @example
 *   const { shapes } = multimodalFrameShapes(model.vae.config, manifest.metadata, versionDir);
 *   const scorer = multimodalWindowScorer(scoringModel, shapes);
 */
import { multimodalInputShape, type MultimodalVaeConfig } from '@vigil/ml';
import { z } from 'zod';
import type { MultimodalFrameShapes } from './multimodal-scorer';

const frameMetadata = z.object({
  features: z.object({
    sensor: z.object({ channels: z.array(z.string()).min(1) }),
    audio: z.object({ sampleRate: z.number().positive() }),
    image: z.object({ overdueAfterMs: z.number().positive() }),
  }),
  data: z.object({ windowMs: z.number().positive() }).partial().default({}),
});

export interface ModelFrames {
  shapes: MultimodalFrameShapes;
  /** Window length of the training data, when the metadata records it. */
  windowMs?: number;
}

/** `source` names the model in the error when its metadata lacks the shapes. */
export function multimodalFrameShapes(config: MultimodalVaeConfig, metadata: unknown, source: string): ModelFrames {
  const parsed = frameMetadata.safeParse(metadata);
  if (!parsed.success)
    throw new Error(`${source}: model metadata lacks the frame shapes (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
  const [steps] = multimodalInputShape(config, 'sensor');
  const [frames, mels] = multimodalInputShape(config, 'audio');
  const [height, width, channels] = multimodalInputShape(config, 'image');
  const { features, data } = parsed.data;
  return {
    shapes: {
      sensor: { channels: features.sensor.channels, steps: steps! },
      audio: { sampleRate: features.audio.sampleRate, frames: frames!, mels: mels! },
      image: { height: height!, width: width!, channels: channels!, overdueAfterMs: features.image.overdueAfterMs },
    },
    ...(data.windowMs !== undefined ? { windowMs: data.windowMs } : {}),
  };
}

/** Answers of `/v1/windows/{deviceId}/{windowStartMs}/data`: one window's raw data, re-scored by the models. */
import { z } from '../http/api-schemas';

const numbers = z.array(z.number());

export const windowDataSchema = z
  .object({
    deviceId: z.string(),
    windowStartMs: z.number().int(),
    windowEndMs: z.number().int(),
    sources: z.array(z.object({ topic: z.string(), read: z.number().int(), kept: z.number().int() })).openapi({
      description:
        'Messages read back from each topic’s retention by timestamp, and how many were this device’s in the range read (the window with the 6 s before it, where a camera frame or sound chunk it uses may start)',
    }),
    sensor: z
      .object({
        modelVersion: z.string(),
        score: z.number(),
        readings: z.number().int(),
        missingChannels: z.array(z.string()),
        timesMs: numbers.openapi({ description: 'The instant each model step samples' }),
        channels: z.array(z.object({ name: z.string(), values: numbers, reconstruction: numbers })),
      })
      .nullable()
      .openapi({ description: 'The sensor frame as the detector builds it, against the sensor model’s reconstruction; null without readings' }),
    audio: z
      .object({
        sampleRate: z.number().int(),
        coverage: z.number().openapi({ description: 'Share of the window the chunks cover' }),
        frameMs: z.number(),
        mels: z.number().int(),
        db: z.array(numbers).openapi({ description: 'Log-mel spectrogram in dB, one row of `mels` per frame' }),
      })
      .nullable(),
    image: z
      .object({
        modelVersion: z.string(),
        frameTimeMs: z.number().int(),
        width: z.number().int(),
        height: z.number().int(),
        pixels: z.array(numbers).openapi({ description: 'The model’s grey input in [0, 1], rows of `width`' }),
        map: z.array(numbers).openapi({ description: 'The anomaly map, rows of the model’s map width' }),
        score: z.number(),
        threshold: z.number(),
        isAnomaly: z.boolean(),
      })
      .nullable()
      .openapi({ description: 'The camera frame the window saw, with the image model’s anomaly map; null without one (or without an image model)' }),
  })
  .openapi('WindowData');
export type WindowData = z.infer<typeof windowDataSchema>;

import { deviceIdSchema, rootCauseSchema, z } from '../http/api-schemas';

const finite = z.number().finite();

export const timeseriesPredictionSchema = z
  .object({
    deviceId: deviceIdSchema.optional(),
    /** One window `[steps][channels]` in raw units, channels in the model's order (see GET /v1/models). */
    window: z.array(z.array(finite).min(1).max(64)).min(1).max(512),
  })
  .strict()
  .openapi('TimeseriesPredictionRequest');
export type TimeseriesPredictionRequest = z.infer<typeof timeseriesPredictionSchema>;

export const predictionSchema = z
  .object({
    modelVersion: z.string(),
    modality: z.enum(['SENSOR', 'AUDIO', 'IMAGE', 'FUSED']),
    score: z.number(),
    threshold: z.number(),
    isAnomaly: z.boolean(),
    rootCause: rootCauseSchema,
  })
  .openapi('Prediction');
export type Prediction = z.infer<typeof predictionSchema>;

export const imagePredictionSchema = z
  .object({
    deviceId: deviceIdSchema.optional(),
    /** A PNG or JPEG frame, base64. */
    image: z
      .string()
      .min(8)
      .max(11_000_000)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64 of a PNG or JPEG image'),
  })
  .strict()
  .openapi('ImagePredictionRequest');
export type ImagePredictionRequest = z.infer<typeof imagePredictionSchema>;

const base64 = (max: number, what: string) =>
  z
    .string()
    .min(4)
    .max(max)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, `base64 of ${what}`);

/** An audio clip: a WAV file, or headerless little-endian mono PCM with its sample rate. */
export const audioClipSchema = z
  .object({
    encoding: z.enum(['WAV', 'PCM_S16LE', 'PCM_F32LE']).openapi({ description: 'WAV (PCM 8/16/24/32-bit or float; channels mixed down), or raw mono PCM' }),
    /** Hz; required for PCM (a WAV file carries its own). Resampled to the model's rate. */
    sampleRate: z.number().int().min(1000).max(192_000).optional(),
    data: base64(5_600_000, 'the clip bytes'),
    /** Multiplies the decoded samples (full scale = 1) into the model's input units, e.g. a WAV's full-scale value in g. Default 1. */
    scale: z.number().positive().max(1e6).optional(),
  })
  .strict()
  .superRefine((clip, ctx) => {
    if (clip.encoding !== 'WAV' && clip.sampleRate === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['sampleRate'], message: `required for ${clip.encoding}` });
  })
  .openapi('AudioClip');

export const audioPredictionSchema = z
  .object({ deviceId: deviceIdSchema.optional(), audio: audioClipSchema })
  .strict()
  .openapi('AudioPredictionRequest', {
    // 0.1 s of a 1 kHz tone, PCM16 at 12 kHz: the shortest kind of clip that gives a few windows.
    example: {
      audio: {
        encoding: 'PCM_S16LE',
        sampleRate: 12000,
        data: Buffer.from(Int16Array.from({ length: 1200 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 1000 * i) / 12000))).buffer).toString('base64'),
      },
    },
  });
export type AudioPredictionRequest = z.infer<typeof audioPredictionSchema>;

export const audioPredictionResultSchema = predictionSchema
  .extend({
    /** Log-mel context windows scored; the score is the worst one's. */
    windows: z.number().int(),
    peakAtSeconds: z.number(),
  })
  .openapi('AudioPrediction');
export type AudioPrediction = z.infer<typeof audioPredictionResultSchema>;

export const multimodalPredictionSchema = z
  .object({
    deviceId: deviceIdSchema.optional(),
    /** `[rows][channels]` in raw units, channels in the fused model's order (GET /v1/models), spread evenly over the window. */
    sensor: z.array(z.array(finite).min(1).max(64)).min(2).max(512).optional(),
    /** At least 90 % of the window's length of sound (longer clips are cut to the window). */
    audio: audioClipSchema.optional(),
    /** A PNG or JPEG thermal frame, base64. */
    image: base64(11_000_000, 'a PNG or JPEG image').optional(),
  })
  .strict()
  .superRefine((req, ctx) => {
    if (req.sensor === undefined && req.audio === undefined && req.image === undefined)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [], message: 'give at least one of sensor, audio, image' });
  })
  .openapi('MultimodalPredictionRequest', {
    example: {
      deviceId: 'dev-0001',
      sensor: [
        [1480, 12.1, 2.1, 41, 55, 3.1, 80],
        [1482, 12.0, 2.2, 41, 55, 3.1, 81],
      ],
    },
  });
export type MultimodalPredictionRequest = z.infer<typeof multimodalPredictionSchema>;

export const multimodalPredictionResultSchema = predictionSchema
  .extend({
    presentModalities: z.array(z.enum(['SENSOR', 'AUDIO', 'IMAGE'])),
    /** The fused score's share per present modality (sums to 1). */
    modalityShares: z.record(z.number()),
  })
  .openapi('MultimodalPrediction');
export type MultimodalPrediction = z.infer<typeof multimodalPredictionResultSchema>;

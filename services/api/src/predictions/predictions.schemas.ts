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

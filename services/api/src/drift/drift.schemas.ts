import { deviceIdSchema, epochMsSchema, queryNumber, modalitySchema, z } from '../http/api-schemas';

export const driftQuerySchema = z
  .object({
    modality: modalitySchema.optional(),
    deviceId: deviceIdSchema.optional(),
    from: epochMsSchema.optional(),
    limit: queryNumber(z.number().int().min(1).max(500)).default(100),
  })
  .strict();
export type DriftQuery = z.infer<typeof driftQuerySchema>;

export const driftEventSchema = z
  .object({
    eventId: z.string(),
    detectedAtMs: z.number().int(),
    deviceId: z.string().nullable(),
    modality: modalitySchema,
    test: z.string(),
    statistic: z.number(),
    pValue: z.number().nullable(),
    threshold: z.number(),
    referenceStartMs: z.number().int(),
    referenceEndMs: z.number().int(),
    currentStartMs: z.number().int(),
    currentEndMs: z.number().int(),
    modelVersion: z.string(),
  })
  .openapi('DriftEvent');
export type ApiDriftEvent = z.infer<typeof driftEventSchema>;

export const driftListSchema = z.object({ items: z.array(driftEventSchema) }).openapi('DriftEventList');

/** Requests and answers of `/v1/anomalies`. */
import { anomalyResultSchema, deviceIdSchema, epochMsSchema, modalitySchema, queryNumber, rootCauseSchema, z } from '../http/api-schemas';

/** The query's fields (documented as is); `anomalyQuerySchema` adds the cross-field checks. */
export const anomalyQueryFields = z
  .object({
    deviceId: deviceIdSchema.optional(),
    modality: modalitySchema.optional(),
    from: epochMsSchema.optional().openapi({ description: 'Window start ≥ from (epoch ms)' }),
    to: epochMsSchema.optional().openapi({ description: 'Window start < to (epoch ms)' }),
    verdict: z.enum(['anomaly', 'normal', 'all']).default('anomaly'),
    minScore: queryNumber(z.number().finite()).optional(),
    maxScore: queryNumber(z.number().finite()).optional(),
    limit: queryNumber(z.number().int().min(1).max(500)).default(50),
    cursor: z.string().max(400).optional().openapi({ description: 'nextCursor of the previous page' }),
  })
  .strict();

export const anomalyQuerySchema = anomalyQueryFields
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, { message: 'from must be before to', path: ['from'] })
  .refine((q) => q.minScore === undefined || q.maxScore === undefined || q.minScore <= q.maxScore, {
    message: 'minScore must not exceed maxScore',
    path: ['minScore'],
  });
export type AnomalyQuery = z.infer<typeof anomalyQuerySchema>;

export const anomalyPageSchema = z.object({ items: z.array(anomalyResultSchema), nextCursor: z.string().nullable() }).openapi('AnomalyPage');
export type AnomalyPage = z.infer<typeof anomalyPageSchema>;

export const windowParamsSchema = z.object({ deviceId: deviceIdSchema, windowStartMs: epochMsSchema }).strict();
export type WindowParams = z.infer<typeof windowParamsSchema>;

/** One scorer's KernelSHAP explanation of the window (the detector's root-cause worker, `vigil.root-cause.shap.v1`). */
export const shapReportSchema = z
  .object({
    modality: z.string().openapi({ description: 'The scorer explained: SENSOR (players are its channels) or FUSED (the modalities present)' }),
    modelVersion: z.string(),
    score: z.number(),
    threshold: z.number(),
    baseValue: z.number().openapi({ description: 'The score with every player replaced by its background' }),
    exact: z.boolean(),
    coalitionsEvaluated: z.number().int(),
    computeMs: z.number(),
    summary: z.string(),
    contributions: z.array(z.object({ name: z.string(), value: z.number(), share: z.number() })),
    processedAtMs: z.number().int(),
  })
  .openapi('ShapReport');
export type ShapReport = z.infer<typeof shapReportSchema>;

export const windowDetailSchema = anomalyResultSchema
  .extend({
    rootCause: rootCauseSchema.nullable(),
    shap: z
      .array(shapReportSchema)
      .nullable()
      .openapi({ description: 'KernelSHAP reports (one per scorer explained), when the root-cause worker has computed them; null before' }),
  })
  .openapi('WindowDetail');
export type WindowDetail = z.infer<typeof windowDetailSchema>;

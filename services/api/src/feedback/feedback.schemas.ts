import { deviceIdSchema, epochMsSchema, queryNumber, z } from '../http/api-schemas';

const reason = z.string().max(2000).default('');
const faultType = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'snake_case, e.g. bearing_wear');

export const feedbackRequestSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('CONFIRM'), deviceId: deviceIdSchema, windowStartMs: epochMsSchema, faultType: faultType.optional(), reason }).strict(),
    z.object({ kind: z.literal('DISMISS'), deviceId: deviceIdSchema, windowStartMs: epochMsSchema, reason }).strict(),
    z.object({ kind: z.literal('LABEL_FAULT'), deviceId: deviceIdSchema, rangeStartMs: epochMsSchema, rangeEndMs: epochMsSchema, faultType, reason }).strict(),
  ])
  .superRefine((f, ctx) => {
    if (f.kind === 'LABEL_FAULT' && f.rangeEndMs <= f.rangeStartMs)
      ctx.addIssue({ code: 'custom', path: ['rangeEndMs'], message: 'must be after rangeStartMs' });
  })
  .openapi('FeedbackRequest');
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

export const feedbackSchema = z
  .object({
    feedbackId: z.string().uuid(),
    createdAtMs: z.number().int(),
    deviceId: z.string(),
    kind: z.enum(['CONFIRM', 'DISMISS', 'LABEL_FAULT']),
    windowStartMs: z.number().int().nullable(),
    rangeStartMs: z.number().int(),
    rangeEndMs: z.number().int(),
    faultType: z.string().nullable(),
    modelVersion: z.string().nullable(),
    operator: z.string(),
    reason: z.string(),
  })
  .openapi('Feedback');

export const feedbackQuerySchema = z.object({ deviceId: deviceIdSchema, limit: queryNumber(z.number().int().min(1).max(500)).default(100) }).strict();
export const feedbackListSchema = z.object({ items: z.array(feedbackSchema) }).openapi('FeedbackList');

/**
 * Building blocks of request and response schemas: one zod definition validates a request and documents it
 * (zod-to-openapi reads the same objects). Identifiers are restricted to safe characters because ClickHouse
 * 18.16 has no query parameters: a value that reaches SQL has passed one of these first.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };

export const deviceIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'letters, digits and . _ : - only (at most 128)')
  .openapi({ example: 'dev-0001' });

export const modalitySchema = z.enum(['SENSOR', 'AUDIO', 'IMAGE', 'FUSED']);

const DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * A number from a query string or JSON. Only plain decimal text is converted (z.coerce would also take `0x27`,
 * `''` or `' 1 '`); anything else stays a string and fails as not a number.
 */
export function queryNumber<T extends z.ZodTypeAny>(inner: T) {
  return z.preprocess((v) => (typeof v === 'string' && DECIMAL.test(v) ? Number(v) : v), inner);
}

/** Epoch milliseconds, from a query string or JSON. */
export const epochMsSchema = queryNumber(z.number().int().min(0).max(8_640_000_000_000_000));

export const errorSchema = z
  .object({
    error: z.string(),
    message: z.string().optional(),
    issues: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi('Error');

export const modalityScoreSchema = z.object({ modality: modalitySchema, score: z.number(), threshold: z.number(), isAnomaly: z.boolean() });

export const rootCauseSchema = z
  .object({
    summary: z.string(),
    topChannels: z.array(z.object({ name: z.string(), share: z.number() })),
    topTimeSteps: z.array(z.number().int()),
    topLatents: z.array(z.number().int()),
    modalityShares: z.record(z.number()),
  })
  .openapi('RootCause');

export const anomalyResultSchema = z
  .object({
    deviceId: z.string(),
    windowStartMs: z.number().int(),
    windowEndMs: z.number().int(),
    modelVersion: z.string(),
    modalities: z.array(modalityScoreSchema),
    missingModalities: z.array(modalitySchema),
    fusedScore: z.number(),
    fusedThreshold: z.number(),
    isAnomaly: z.boolean(),
    rootCauseSummary: z.string().nullable(),
    processedAtMs: z.number().int(),
  })
  .openapi('AnomalyResult');

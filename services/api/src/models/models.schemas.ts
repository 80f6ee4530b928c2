import { z } from '../http/api-schemas';

export const modelNameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/i, 'a registry model name, e.g. sensor/pump-synthetic');

export const modelParamsSchema = z.object({ name: z.string().min(1).max(200) }).strict();

export const modelVersionSchema = z
  .object({
    version: z.string(),
    live: z.boolean().openapi({ description: 'The newest version is the one the detector serves' }),
    kind: z.string().nullable(),
    createdAt: z.string().nullable(),
    metrics: z.record(z.number()),
    calibration: z.object({ method: z.string(), threshold: z.number() }).nullable(),
  })
  .openapi('ModelVersion');

export const modelSchema = z
  .object({ name: z.string(), liveVersion: z.string(), versions: z.array(modelVersionSchema), card: z.string().nullable() })
  .openapi('Model');
export type ModelInfo = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ items: z.array(modelSchema.omit({ card: true })) }).openapi('ModelList');

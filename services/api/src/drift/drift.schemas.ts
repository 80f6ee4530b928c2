import { deviceIdSchema, epochMsSchema, queryNumber, modalitySchema, z } from '../http/api-schemas';

export const driftQuerySchema = z
  .object({
    modality: modalitySchema.optional(),
    deviceId: deviceIdSchema.optional(),
    from: epochMsSchema.optional(),
    /** `true`: drift events only (the default); `all`: every window test, drifted or not (statistics over time). */
    drifted: z.enum(['true', 'all']).default('true'),
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
    /** Whether this test flagged its window (Wasserstein is reported, never judged: always false). */
    drifted: z.boolean(),
    referenceStartMs: z.number().int(),
    referenceEndMs: z.number().int(),
    currentStartMs: z.number().int(),
    currentEndMs: z.number().int(),
    modelVersion: z.string(),
  })
  .openapi('DriftEvent');
export type ApiDriftEvent = z.infer<typeof driftEventSchema>;

export const driftListSchema = z.object({ items: z.array(driftEventSchema) }).openapi('DriftEventList');

const modelVersionSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+/-]{0,127}$/, 'letters, digits and . _ @ + / - only (at most 128)')
  .openapi({ example: 'pump-synthetic@v1' });

/** Latent vectors (the posterior means a model writes to `vigil.latent.vectors.v1`) to test against the model version's stored reference. */
export const driftCheckSchema = z
  .object({
    modality: modalitySchema,
    modelVersion: modelVersionSchema,
    /** `[count][dim]` latent means; dim must be the reference's. */
    latents: z.array(z.array(z.number().finite()).min(1).max(64)).min(10).max(1000),
    /** Anomaly scores of the same windows, for the score tests (KS + PSI); optional. */
    scores: z.array(z.number().finite()).min(10).max(1000).optional(),
    alpha: z.number().gt(0).lt(0.5).default(0.05),
    /** MMD permutations; the same seed gives the same p-value. */
    permutations: z.number().int().min(20).max(1000).default(200),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  })
  .strict()
  .superRefine((req, ctx) => {
    const dim = req.latents[0]?.length;
    req.latents.forEach((row, i) => {
      if (row.length !== dim) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['latents', i], message: `every vector needs ${dim} values` });
    });
    if (req.scores && req.scores.length !== req.latents.length)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['scores'], message: 'one score per latent vector' });
  })
  .openapi('DriftCheckRequest', {
    example: {
      modality: 'SENSOR',
      modelVersion: 'pump-synthetic@v1',
      latents: Array.from({ length: 12 }, (_, i) => [Math.round(50 * Math.sin(i)) / 100, Math.round(50 * Math.cos(i)) / 100]),
      alpha: 0.05,
      permutations: 100,
      seed: 1,
    },
  });
export type DriftCheckRequest = z.infer<typeof driftCheckSchema>;

const perDimension = z.array(z.number());

export const driftCheckResultSchema = z
  .object({
    modality: modalitySchema,
    modelVersion: z.string(),
    reference: z.object({ count: z.number().int(), startMs: z.number().int(), endMs: z.number().int() }),
    current: z.object({ count: z.number().int() }),
    alpha: z.number(),
    mmd: z.object({ statistic: z.number(), pValue: z.number(), method: z.enum(['permutation', 'linear']), drifted: z.boolean() }),
    ks: z.object({
      statistics: perDimension,
      pValues: perDimension,
      /** Benjamini–Hochberg adjusted. */
      adjustedPValues: perDimension,
      minAdjustedPValue: z.number(),
      drifted: z.boolean(),
    }),
    /** Reported, not tested. */
    wasserstein: z.object({ perDimension, mean: z.number(), max: z.number() }),
    scores: z.object({ ksStatistic: z.number(), pValue: z.number(), psi: z.number(), drifted: z.boolean() }).nullable(),
    /** MMD or the BH-corrected KS rejects at alpha (the drift service's rule for one window). */
    drifted: z.boolean(),
  })
  .openapi('DriftCheck');
export type DriftCheckResult = z.infer<typeof driftCheckResultSchema>;

/** Answers of `/v1/training`: runs (one per model version) with their loss curves, metrics and evaluation curves. */
import { z } from '../http/api-schemas';
import { modelNameSchema } from '../models/models.schemas';

export const trainingParamsSchema = z.object({ name: modelNameSchema, version: z.string().regex(/^v\d{1,6}$/, 'a version folder name, e.g. v1') }).strict();
export type TrainingParams = z.infer<typeof trainingParamsSchema>;

export const epochSchema = z
  .object({
    epoch: z.number().int(),
    loss: z.number().nullable(),
    validationLoss: z.number().nullable(),
    reconstruction: z.number().nullable(),
    kl: z.number().nullable(),
  })
  .openapi('TrainingEpoch');

export const trainingRunSchema = z
  .object({
    model: z.string(),
    version: z.string(),
    live: z.boolean(),
    kind: z.string().nullable(),
    createdAt: z.string().nullable(),
    epochs: z.number().int(),
    bestEpoch: z.number().int().nullable(),
    seconds: z.number().nullable(),
    metrics: z.record(z.number()),
    hasEvaluationCurves: z.boolean(),
  })
  .openapi('TrainingRun');
export type TrainingRun = z.infer<typeof trainingRunSchema>;

export const trainingRunListSchema = z.object({ items: z.array(trainingRunSchema) }).openapi('TrainingRunList');

export const trainingDetailSchema = trainingRunSchema
  .extend({
    history: z.array(epochSchema),
    evaluation: z
      .object({
        split: z.string(),
        positives: z.number().int(),
        negatives: z.number().int(),
        rocAuc: z.number(),
        prAuc: z.number(),
        roc: z.array(z.object({ fpr: z.number(), tpr: z.number() })),
        pr: z.array(z.object({ recall: z.number(), precision: z.number() })),
      })
      .nullable()
      .openapi({ description: 'ROC and PR curves from the scores the evaluation stored; null when it stored none' }),
  })
  .openapi('TrainingRunDetail');
export type TrainingDetail = z.infer<typeof trainingDetailSchema>;

/**
 * The versioned JSON a calibrated threshold is saved as, next to the model it belongs to
 * (`<modelDir>/threshold.json`), and the one function that turns it back into a working threshold.
 * Parsing (a zod schema per kind) validates kind, version and numbers, so a corrupt or foreign file fails at
 * load, not at scoring, with the field named.
 *
 * @example
 *   const json = JSON.stringify(new MadThreshold({ k: 4 }).fit(scores).toCalibration({ modelVersion: 'ts-vae@3' }));
 *   const threshold = thresholdFromCalibration(parseThresholdCalibration(JSON.parse(json)));
 */
import { z } from 'zod';
import { MadThreshold, type MadStatistics, type MadThresholdOptions } from './mad-threshold';
import { PercentileThreshold, type PercentileThresholdOptions } from './percentile-threshold';
import { PotThreshold, type PotTail, type PotThresholdOptions } from './pot-threshold';
import { type CalibrationMeta, type ScoreThreshold, THRESHOLD_CALIBRATION_FORMAT, THRESHOLD_CALIBRATION_VERSION } from './threshold';
import { InvalidThresholdStateError } from './threshold.errors';

interface CalibrationBase extends CalibrationMeta {
  format: typeof THRESHOLD_CALIBRATION_FORMAT;
  version: typeof THRESHOLD_CALIBRATION_VERSION;
  /** The inferred threshold (redundant with the fields below, kept for readers of the file). */
  threshold: number;
  sampleSize: number;
}

export type ThresholdCalibration =
  | (CalibrationBase & { kind: 'percentile'; options: PercentileThresholdOptions })
  | (CalibrationBase & { kind: 'mad'; options: MadThresholdOptions; statistics: MadStatistics })
  | (CalibrationBase & { kind: 'pot'; options: PotThresholdOptions; tail: PotTail });

const finite = z.number().finite();
const meta = {
  // Informative only: a value of the wrong type is dropped rather than failing the load.
  modelVersion: z.string().optional().catch(undefined),
  calibratedAt: z.string().optional().catch(undefined),
};
const base = {
  format: z.literal(THRESHOLD_CALIBRATION_FORMAT),
  version: z.literal(THRESHOLD_CALIBRATION_VERSION),
  threshold: finite,
  sampleSize: finite,
  ...meta,
};

const gpdFitSchema = z.object({
  shape: finite,
  scale: finite,
  logLikelihood: finite,
  // Files written before the method was recorded were all Grimshaw fits.
  method: z.enum(['grimshaw', 'exponential']).catch('grimshaw'),
});

const calibrationSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...base, kind: z.literal('percentile'), options: z.object({ percentile: finite }) }),
    z.object({ ...base, kind: z.literal('mad'), options: z.object({ k: finite, consistency: finite }), statistics: z.object({ median: finite, mad: finite }) }),
    z.object({
      ...base,
      kind: z.literal('pot'),
      options: z.object({ q: finite, level: finite }),
      tail: z.object({ tailThreshold: finite, peakCount: finite, gpd: gpdFitSchema }),
    }),
  ],
  {
    errorMap: (issue, ctx) =>
      issue.code === z.ZodIssueCode.invalid_union_discriminator
        ? { message: `unknown threshold kind ${String((ctx.data as { kind?: unknown }).kind)}` }
        : { message: ctx.defaultError },
  },
);

/** Checked first, so a foreign or newer document gets one clear line instead of a list of field problems. */
const headerSchema = z.object({ format: z.unknown(), version: z.unknown() });

/** Validates parsed JSON as a calibration of a known kind and version; errors name the field (`calibration.options.k: …`). */
export function parseThresholdCalibration(json: unknown): ThresholdCalibration {
  const header = headerSchema.safeParse(json);
  if (!header.success || header.data.format !== THRESHOLD_CALIBRATION_FORMAT)
    throw new InvalidThresholdStateError(`not a ${THRESHOLD_CALIBRATION_FORMAT} document`);
  if (header.data.version !== THRESHOLD_CALIBRATION_VERSION)
    throw new InvalidThresholdStateError(`unsupported calibration version ${String(header.data.version)}`);
  const result = calibrationSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${['calibration', ...issue.path].join('.')}: ${issue.message}`);
    throw new InvalidThresholdStateError(problems.join('; '));
  }
  // The return type is the check that the schema's output fits the documented `ThresholdCalibration`.
  return result.data;
}

/** A fitted threshold equivalent to the one that produced the calibration. */
export function thresholdFromCalibration(calibration: ThresholdCalibration): ScoreThreshold {
  switch (calibration.kind) {
    case 'percentile':
      return PercentileThreshold.fromCalibrated(calibration.options, calibration.threshold, calibration.sampleSize);
    case 'mad':
      return MadThreshold.fromCalibrated(calibration.options, calibration.statistics, calibration.sampleSize);
    case 'pot':
      return PotThreshold.fromCalibrated(calibration.options, calibration.tail, calibration.sampleSize);
  }
}

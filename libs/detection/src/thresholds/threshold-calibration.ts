/**
 * The versioned JSON a calibrated threshold is saved as, next to the model it belongs to
 * (`<modelDir>/threshold.json`), and the one function that turns it back into a working threshold.
 * Parsing validates kind, version and numbers, so a corrupt or foreign file fails at load, not at scoring.
 *
 * @example
 *   const json = JSON.stringify(new MadThreshold({ k: 4 }).fit(scores).toCalibration({ modelVersion: 'ts-vae@3' }));
 *   const threshold = thresholdFromCalibration(parseThresholdCalibration(JSON.parse(json)));
 */
import type { GpdFit } from './gpd';
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(record: Record<string, unknown>, key: string, where: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidThresholdStateError(`${where}.${key} must be a finite number`);
  return value;
}

function section(record: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = record[key];
  if (!isRecord(value)) throw new InvalidThresholdStateError(`calibration.${key} must be an object`);
  return value;
}

/** Validates parsed JSON as a calibration of a known kind and version. */
export function parseThresholdCalibration(json: unknown): ThresholdCalibration {
  if (!isRecord(json) || json['format'] !== THRESHOLD_CALIBRATION_FORMAT) throw new InvalidThresholdStateError(`not a ${THRESHOLD_CALIBRATION_FORMAT} document`);
  if (json['version'] !== THRESHOLD_CALIBRATION_VERSION) throw new InvalidThresholdStateError(`unsupported calibration version ${String(json['version'])}`);
  const base = {
    format: THRESHOLD_CALIBRATION_FORMAT,
    version: THRESHOLD_CALIBRATION_VERSION,
    threshold: finite(json, 'threshold', 'calibration'),
    sampleSize: finite(json, 'sampleSize', 'calibration'),
    ...(typeof json['modelVersion'] === 'string' ? { modelVersion: json['modelVersion'] } : {}),
    ...(typeof json['calibratedAt'] === 'string' ? { calibratedAt: json['calibratedAt'] } : {}),
  } as const;
  const options = section(json, 'options');
  switch (json['kind']) {
    case 'percentile':
      return { ...base, kind: 'percentile', options: { percentile: finite(options, 'percentile', 'options') } };
    case 'mad': {
      const statistics = section(json, 'statistics');
      return {
        ...base,
        kind: 'mad',
        options: { k: finite(options, 'k', 'options'), consistency: finite(options, 'consistency', 'options') },
        statistics: { median: finite(statistics, 'median', 'statistics'), mad: finite(statistics, 'mad', 'statistics') },
      };
    }
    case 'pot': {
      const tail = section(json, 'tail');
      if (!isRecord(tail['gpd'])) throw new InvalidThresholdStateError('tail.gpd must be an object');
      const gpd = tail['gpd'];
      const method = gpd['method'] === 'exponential' ? 'exponential' : 'grimshaw';
      const fit: GpdFit = { shape: finite(gpd, 'shape', 'gpd'), scale: finite(gpd, 'scale', 'gpd'), logLikelihood: finite(gpd, 'logLikelihood', 'gpd'), method };
      return {
        ...base,
        kind: 'pot',
        options: { q: finite(options, 'q', 'options'), level: finite(options, 'level', 'options') },
        tail: { tailThreshold: finite(tail, 'tailThreshold', 'tail'), peakCount: finite(tail, 'peakCount', 'tail'), gpd: fit },
      };
    }
    default:
      throw new InvalidThresholdStateError(`unknown threshold kind ${String(json['kind'])}`);
  }
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

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCalibration } from './calibration.repository';
import { MadThreshold } from './mad-threshold';
import { PotThreshold } from './pot-threshold';
import { THRESHOLD_CALIBRATION_FILE } from './threshold';
import { parseThresholdCalibration, thresholdFromCalibration } from './threshold-calibration';
import { InvalidThresholdStateError } from './threshold.errors';

// Deterministic, spread-out scores: enough of a tail for a POT fit.
const scores = Array.from({ length: 2000 }, (_, i) => -Math.log(1 - ((i * 0.618034) % 1) * 0.999));

describe('parseThresholdCalibration', () => {
  const mad = new MadThreshold({ k: 4 }).fit(scores).toCalibration({ modelVersion: 'pca@1' });

  it.each([
    [{ ...mad, statistics: { median: 1, mad: null } }, /^calibration\.statistics\.mad: Expected number, received null$/],
    [{ ...mad, options: { k: '4', consistency: 1.48 } }, /^calibration\.options\.k: Expected number, received string$/],
    [{ ...mad, threshold: Number.POSITIVE_INFINITY }, /^calibration\.threshold: /],
    [{ ...mad, sampleSize: undefined }, /^calibration\.sampleSize: Required$/],
    [{ ...mad, kind: 'magic' }, /unknown threshold kind magic/],
    [{ ...mad, format: 'other' }, /^not a vigil\.threshold-calibration document$/],
    [{ ...mad, version: 2 }, /^unsupported calibration version 2$/],
    ['not json of an object', /^not a vigil\.threshold-calibration document$/],
  ])('rejects a damaged document, naming the field (%#)', (document, message) => {
    expect(() => parseThresholdCalibration(document)).toThrow(InvalidThresholdStateError);
    expect(() => parseThresholdCalibration(document)).toThrow(message);
  });

  it('keeps what it knows and drops informative fields of the wrong type', () => {
    expect(parseThresholdCalibration({ ...mad, calibratedAt: 17, comment: 'not part of the format' })).toEqual(mad);
  });

  it('reads a POT tail without a recorded fit method as a Grimshaw fit', () => {
    const pot = new PotThreshold({ q: 1e-3 }).fit(scores).toCalibration();
    if (pot.kind !== 'pot') throw new Error('expected a POT calibration');
    const { method: _method, ...gpd } = pot.tail.gpd;
    const parsed = parseThresholdCalibration({ ...pot, tail: { ...pot.tail, gpd } });
    expect(parsed.kind === 'pot' && parsed.tail.gpd.method).toBe('grimshaw');
    expect(thresholdFromCalibration(parsed).value).toBe(thresholdFromCalibration(pot).value);
  });
});

describe('readCalibration', () => {
  it('names the file and the field of a damaged threshold.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-threshold-'));
    try {
      const mad = new MadThreshold().fit(scores).toCalibration();
      await writeFile(join(dir, THRESHOLD_CALIBRATION_FILE), JSON.stringify({ ...mad, options: { k: 4 } }));
      const error = await readCalibration(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidThresholdStateError);
      expect((error as Error).message).toBe(`${join(dir, THRESHOLD_CALIBRATION_FILE)}: calibration.options.consistency: Required`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

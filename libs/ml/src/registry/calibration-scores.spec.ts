import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CALIBRATION_SCORES_FILE, readCalibrationScores, writeCalibrationScores } from './calibration-scores';

describe('calibration scores', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'vigil-calibration-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('round-trips the held-out scores with their source, order kept', async () => {
    const d = dir();
    await writeCalibrationScores(d, Float32Array.of(2.5, 1.25, 3.0625, 0.1), 'four held-out windows');
    expect(await readCalibrationScores(d)).toEqual([2.5, 1.25, 3.0625, 0.1]);
    expect(JSON.parse(await readFile(path.join(d, CALIBRATION_SCORES_FILE), 'utf8')).source).toBe('four held-out windows');
    expect(await readCalibrationScores(dir())).toBeUndefined();
  });

  it('refuses an empty list and a non-finite score, naming the entry', async () => {
    await expect(writeCalibrationScores(dir(), [], 'x')).rejects.toThrow(/none/);
    await expect(writeCalibrationScores(dir(), [1, Number.NaN], 'x')).rejects.toThrow(/entry 1 is NaN/);
  });
});

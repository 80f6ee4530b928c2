import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CALIBRATION_SCORES_FILE, readCalibrationScores } from './calibration-scores';

describe('readCalibrationScores', () => {
  it('reads the scores saved beside a version, and says when there are none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-calibration-'));
    expect(await readCalibrationScores(dir)).toBeUndefined();
    writeFileSync(join(dir, CALIBRATION_SCORES_FILE), JSON.stringify({ source: 'held-out normal windows', scores: [0.5, 1.25] }));
    expect(await readCalibrationScores(dir)).toEqual([0.5, 1.25]);
  });
});

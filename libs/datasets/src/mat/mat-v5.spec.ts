import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../audio/wav';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { MatFormatError, readMatV5 } from './mat-v5';

const fixture = JSON.parse(readFileSync(path.resolve(__dirname, '../../fixtures/mat.json'), 'utf8')) as { files: Record<'plain' | 'compressed', string> };
const bytesOf = (name: 'plain' | 'compressed') => new Uint8Array(Buffer.from(fixture.files[name], 'base64'));

describe.each(['plain', 'compressed'] as const)('readMatV5 on a %s file written by scipy.io.savemat', (kind) => {
  const mat = readMatV5(bytesOf(kind));

  it('reads a double column with its dimensions', () => {
    expect(mat.variables.get('signal')).toEqual({ name: 'signal', dims: [4, 1], className: 'double', data: Float64Array.from([0.5, -1.25, 3.0e-3, 1234.5]) });
  });

  it('reads an int16 matrix in column-major order and a scalar stored in small data elements', () => {
    expect(mat.variables.get('grid')).toMatchObject({ dims: [2, 3], className: 'int16', data: Float64Array.from([1, 4, 2, 5, 3, 6]) });
    expect(mat.variables.get('rpm')).toMatchObject({ dims: [1, 1], className: 'uint8', data: Float64Array.of(200) });
  });

  it('lists non-numeric variables as skipped', () => {
    expect(mat.skipped).toEqual([
      { name: 'label', className: 'char' },
      { name: 'parts', className: 'cell' },
    ]);
  });
});

describe('readMatV5 rejects', () => {
  it.each([
    ['a short file', new Uint8Array(10), /too short/],
    ['a v7.3 (HDF5) file', new TextEncoder().encode('MATLAB 7.3 MAT-file'.padEnd(128)), /v7\.3/],
    ['a non-MAT file', new Uint8Array(200), /not a MATLAB 5/],
  ])('%s', (_name, bytes, message) => {
    expect(() => readMatV5(bytes)).toThrow(MatFormatError);
    expect(() => readMatV5(bytes)).toThrow(message);
  });
});

const cwruDir = path.join(resolveDataDir(), 'cwru');
describe.skipIf(!hasDataDir('cwru/inner_race_0.007in'))(`real CWRU .mat in ${cwruDir} (skipped when absent)`, () => {
  it('reads 105.mat: DE/FE/BA channels and RPM, and its DE channel is the WAV in g', () => {
    const mat = readMatV5(readFileSync(path.join(cwruDir, 'inner_race_0.007in/12k_Drive_End_IR007_0_105.mat')));
    expect([...mat.variables.keys()].sort()).toEqual(['X105RPM', 'X105_BA_time', 'X105_DE_time', 'X105_FE_time']);
    expect(mat.variables.get('X105RPM')!.data[0]).toBe(1797); // index.csv rpm
    const de = mat.variables.get('X105_DE_time')!;
    expect(de.dims).toEqual([121265, 1]);
    const peak = de.data.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const wav = decodeWav(readFileSync(path.join(cwruDir, 'inner_race_0.007in/IR007_0hp_105_DE_12k.wav'))).channels[0]!;
    let worst = 0;
    for (let i = 0; i < wav.length; i++) worst = Math.max(worst, Math.abs(((wav[i]! * 32768) / 32767) * peak - de.data[i]!));
    expect(worst).toBeLessThanOrEqual((0.5 / 32767) * peak * 1.0001); // within half a quantisation step
  });
});

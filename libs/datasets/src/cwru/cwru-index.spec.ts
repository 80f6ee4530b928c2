import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { toSampleRate } from '../audio/audio-features';
import { loadCwruIndex, loadCwruSignal } from './cwru-files';
import { cwruToG, filterCwru, parseCwruIndex } from './cwru-index';

const HEADER = 'file,condition,fault_location,fault_diameter_in,load_hp,rpm,sampling_rate_hz,n_samples,duration_s,peak_g,source_mat,note';
const SAMPLE = `${HEADER}
normal/n_12k.wav,normal,none,,0,1796,12000,60985,5.082,0.28,normal/normal_0_97.mat,"decimated 48k->12k (FIR anti-alias, zero phase)"
ball_0.014in/B014_2hp_187_DE_12k.wav,ball_0.014in,ball,0.014,2,1748,12000,121991,10.166,2.5,(not copied) x.mat,
`;

describe('parseCwruIndex', () => {
  it('types each row, with a null diameter for the healthy bearing', () => {
    const [normal, ball] = parseCwruIndex(SAMPLE);
    expect(normal).toMatchObject({ faultLocation: 'none', faultDiameterIn: null, isNormal: true, note: 'decimated 48k->12k (FIR anti-alias, zero phase)' });
    expect(ball).toMatchObject({
      faultLocation: 'ball',
      faultDiameterIn: 0.014,
      loadHp: 2,
      rpm: 1748,
      sampleRateHz: 12000,
      samples: 121991,
      peakG: 2.5,
      isNormal: false,
    });
  });

  it.each([
    ['a missing column', SAMPLE.replace(',peak_g', ',peak'), /lacks column\(s\): peak_g/],
    ['an unknown fault', SAMPLE.replace(',ball,0.014', ',cage,0.014'), /unknown fault_location "cage"/],
    ['a non-numeric load', SAMPLE.replace(',0.014,2,', ',0.014,two,'), /load_hp "two" is not a number/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseCwruIndex(text)).toThrow(message);
  });

  it('filters by fault, size, load and rate, and undoes the per-file scale', () => {
    const index = parseCwruIndex(SAMPLE);
    expect(filterCwru(index, { faultLocation: 'ball', loadHp: 2 })).toHaveLength(1);
    expect(filterCwru(index, { sampleRateHz: 48000 })).toHaveLength(0);
    const g = cwruToG(Float32Array.from([32767 / 32768, -0.5]), index[1]!);
    expect(g[0]).toBeCloseTo(2.5, 6);
    expect(g[1]).toBeCloseTo((-16384 / 32767) * 2.5, 6);
  });
});

const cwruDir = path.join(resolveDataDir(), 'cwru');
describe.skipIf(!hasDataDir('cwru/index.csv'))(`real CWRU files in ${cwruDir} (skipped when absent)`, () => {
  it('lists 38 WAVs: 2 normal and 36 faults over loads 0–3', async () => {
    const index = await loadCwruIndex(cwruDir);
    expect(index).toHaveLength(38);
    expect(index.filter((r) => r.isNormal)).toHaveLength(2);
    expect(new Set(index.map((r) => r.loadHp))).toEqual(new Set([0, 1, 2, 3]));
    expect(filterCwru(index, { faultLocation: 'inner_race', faultDiameterIn: 0.007 }).map((r) => r.loadHp)).toEqual([0, 1, 2, 3]);
  });

  it('decodes a fault WAV to g whose largest |value| is the file’s peak', async () => {
    const [recording] = filterCwru(await loadCwruIndex(cwruDir), { faultLocation: 'outer_race_at6', faultDiameterIn: 0.007, loadHp: 0 });
    const { signal, sampleRateHz } = await loadCwruSignal(recording!, cwruDir);
    expect(sampleRateHz).toBe(12000);
    expect(signal).toHaveLength(recording!.samples);
    const peak = signal.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(peak).toBeCloseTo(recording!.peakG, 5);
  });

  it('resampling the 48 kHz normal file to 12 kHz reproduces the 12 kHz WAV made with scipy', async () => {
    const normal = filterCwru(await loadCwruIndex(cwruDir), { faultLocation: 'none' });
    const at48k = await loadCwruSignal(
      normal.find((r) => r.sampleRateHz === 48000)!,
      cwruDir,
    );
    const at12k = await loadCwruSignal(
      normal.find((r) => r.sampleRateHz === 12000)!,
      cwruDir,
    );
    const ours = toSampleRate(at48k.signal, 48000, 12000);
    expect(ours).toHaveLength(at12k.signal.length);
    // The file was made with scipy.signal.decimate (Hamming FIR), ours uses resample_poly's Kaiser FIR: both keep
    // the band below 6 kHz, so the signals in g agree to a correlation of 0.9999.
    let dot = 0;
    let ourEnergy = 0;
    let theirEnergy = 0;
    for (let i = 0; i < ours.length; i++) {
      dot += ours[i]! * at12k.signal[i]!;
      ourEnergy += ours[i]! ** 2;
      theirEnergy += at12k.signal[i]! ** 2;
    }
    expect(dot / Math.sqrt(ourEnergy * theirEnergy)).toBeGreaterThan(0.9999);
  });
});

import { describe, expect, it } from 'vitest';
import { type CwruSignal } from './cwru-files';
import { parseCwruIndex } from './cwru-index';
import { cwruWindows } from './cwru-windows';

const [normal, fault] = parseCwruIndex(`file,condition,fault_location,fault_diameter_in,load_hp,rpm,sampling_rate_hz,n_samples,duration_s,peak_g,source_mat,note
normal/n.wav,normal,none,,0,1796,48000,4800,0.1,0.3,n.mat,
ball/b.wav,ball_0.007in,ball,0.007,0,1797,12000,1000,0.083,1,b.mat,
`);
const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);
const signals: CwruSignal[] = [
  { recording: normal!, sampleRateHz: 48000, signal: Float32Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * 100 * i) / 48000)) },
  { recording: fault!, sampleRateHz: 12000, signal: ramp(1000) },
];

describe('cwruWindows', () => {
  it('resamples to a common rate and windows each recording with its condition', () => {
    const { batch, meta, sampleRateHz } = cwruWindows(signals, { length: 256, hop: 128, sampleRateHz: 12000 });
    expect(sampleRateHz).toBe(12000);
    // 4800 samples at 48 kHz → 1200 at 12 kHz → 8 windows; 1000 samples → 6 windows.
    expect(meta.filter((m) => m.recording.isNormal)).toHaveLength(8);
    expect(meta.filter((m) => m.recording.faultLocation === 'ball')).toHaveLength(6);
    expect(batch).toMatchObject({ batch: 14, steps: 256, channels: 1 });
    const firstFault = meta.findIndex((m) => !m.recording.isNormal);
    expect(meta[firstFault + 1]!.start).toBe(128);
    expect(Array.from(batch.data.subarray((firstFault + 1) * 256, (firstFault + 1) * 256 + 3))).toEqual([128, 129, 130]);
  });

  it('refuses mixed rates unless asked to resample', () => {
    expect(() => cwruWindows(signals, { length: 256 })).toThrow(/pass sampleRateHz/);
  });
});

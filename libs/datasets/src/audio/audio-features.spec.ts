import * as path from 'node:path';
import { hzToMel } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { listMimiiClips, loadMimiiClip } from '../mimii/mimii-files';
import { logMelWindows, toSampleRate } from './audio-features';

const tone = (hz: number, rate: number, seconds: number) =>
  Float32Array.from({ length: rate * seconds }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));

describe('logMelWindows', () => {
  it('stacks 5 log-mel frames of 128 bands and puts a tone’s energy in the right band', () => {
    const out = logMelWindows(tone(1000, 16000, 1), 16000);
    // 1 s at hop 512 with centre padding: 32 frames → 28 windows of 5.
    expect(out).toMatchObject({ batch: 28, steps: 5, channels: 128, sampleRate: 16000 });
    const frame = out.data.subarray(0, 128);
    const loudest = frame.indexOf(Math.max(...frame));
    // Band m peaks at mel edge m + 1 of 130 equally spaced edges on 0..mel(8 kHz).
    const expected = (hzToMel(1000) / hzToMel(8000)) * 129 - 1;
    expect(Math.abs(loudest - expected)).toBeLessThanOrEqual(1);
  });

  it('resamples first, so the same tone at 48 kHz gives nearly the same features', () => {
    const native = logMelWindows(tone(1000, 16000, 1), 16000);
    const from48k = logMelWindows(tone(1000, 48000, 1), 48000);
    expect(from48k.batch).toBe(native.batch);
    const band = (w: typeof native) => w.data[10 * 128 * 5 + 50]!;
    expect(Math.abs(band(from48k) - band(native))).toBeLessThan(0.5);
    expect(toSampleRate(tone(1, 100, 1), 100, 100)).toHaveLength(100);
  });
});

const mimiiDir = path.join(resolveDataDir(), 'mimii');
describe.skipIf(!hasDataDir('mimii/unknown_dcase2020'))(`DCASE clip from ${mimiiDir} (skipped when absent)`, () => {
  it('turns a 10 s clip into 309 finite 5×128 log-mel windows', async () => {
    const [clip] = await listMimiiClips({ folder: mimiiDir, machine: 'unknown', label: 'normal' });
    const { samples, sampleRate } = await loadMimiiClip(clip!, { folder: mimiiDir });
    const windows = logMelWindows(samples, sampleRate);
    expect(windows).toMatchObject({ batch: 309, steps: 5, channels: 128 });
    expect(windows.data.every(Number.isFinite)).toBe(true);
  });
});

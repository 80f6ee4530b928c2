import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasDataDir, resolveDataDir } from '../data-dir';
import { WavFormatError, decodeWav, mixdown, selectChannel } from './wav';
import { encodeWav, type WavEncodeOptions } from './wav-encoder';

/** A minimal PCM file built byte by byte, independent of encodeWav. */
function handMade(tag: number, bits: number, channels: number, data: number[]): Uint8Array {
  const header = [
    ...'RIFF'.split('').map((c) => c.charCodeAt(0)),
    0,
    0,
    0,
    0,
    ...'WAVEfmt '.split('').map((c) => c.charCodeAt(0)),
    16,
    0,
    0,
    0,
    tag,
    0,
    channels,
    0,
    0x80,
    0x3e,
    0,
    0,
    0,
    0,
    0,
    0,
    (channels * bits) / 8,
    0,
    bits,
    0,
    ...'data'.split('').map((c) => c.charCodeAt(0)),
    data.length,
    0,
    0,
    0,
  ];
  return Uint8Array.from([...header, ...data]);
}

describe('decodeWav on hand-made bytes', () => {
  it.each([
    ['8-bit unsigned', 8, [0x00, 0x80, 0xff], [-1, 0, 127 / 128]],
    ['16-bit', 16, [0x00, 0x80, 0xff, 0x7f, 0x01, 0x00], [-1, 32767 / 32768, 1 / 32768]],
    ['24-bit', 24, [0x00, 0x00, 0x80, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff], [-1, 8388607 / 8388608, -1 / 8388608]],
    ['32-bit', 32, [0, 0, 0, 0x80, 0, 0, 0, 0x40], [-1, 0.5]],
  ])('scales %s integers by 2^(bits-1)', (_name, bits, data, expected) => {
    const audio = decodeWav(handMade(1, bits, 1, data));
    expect(audio).toMatchObject({ sampleRate: 16000, bitsPerSample: bits, encoding: 'pcm', frames: expected.length });
    expect(Array.from(audio.channels[0]!)).toEqual(expected.map((v) => Math.fround(v)));
  });

  it('de-interleaves channels', () => {
    const audio = decodeWav(handMade(1, 16, 2, [0x00, 0x40, 0x00, 0xc0, 0x00, 0x20, 0x00, 0xe0]));
    expect(Array.from(audio.channels[0]!)).toEqual([0.5, 0.25]);
    expect(Array.from(audio.channels[1]!)).toEqual([-0.5, -0.25]);
  });

  it.each([
    ['a non-RIFF file', Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), /not a RIFF\/WAVE/],
    ['an ADPCM file', handMade(2, 16, 1, [0, 0]), /format tag 0x2/],
    ['12-bit samples', handMade(1, 12, 1, [0, 0]), /block align|12-bit/],
    ['a file without data', handMade(1, 16, 1, []).subarray(0, 36), /no data chunk/],
  ])('rejects %s', (_name, bytes, message) => {
    expect(() => decodeWav(bytes)).toThrow(WavFormatError);
    expect(() => decodeWav(bytes)).toThrow(message);
  });
});

describe('encodeWav → decodeWav round trip', () => {
  const left = [0, 0.5, -0.5, 0.25, -1, 0.123456];
  const right = [0.75, -0.75, 0.001, -0.001, 0.3, -0.3];
  const layouts: [string, WavEncodeOptions, number][] = [
    ['8-bit PCM', { sampleRate: 8000, bitsPerSample: 8 }, 1 / 128],
    ['16-bit PCM', { sampleRate: 16000, bitsPerSample: 16 }, 1 / 32768],
    ['24-bit PCM', { sampleRate: 48000, bitsPerSample: 24 }, 1 / 8388608],
    ['32-bit PCM', { sampleRate: 44100, bitsPerSample: 32 }, 1e-7],
    ['32-bit float', { sampleRate: 22050, bitsPerSample: 32, float: true }, 1e-7],
    ['64-bit float', { sampleRate: 22050, bitsPerSample: 64, float: true }, 1e-7],
    ['16-bit extensible', { sampleRate: 16000, bitsPerSample: 16, extensible: true }, 1 / 32768],
    ['24-bit extensible', { sampleRate: 96000, bitsPerSample: 24, extensible: true }, 1 / 8388608],
    ['float extensible', { sampleRate: 16000, bitsPerSample: 32, float: true, extensible: true }, 1e-7],
  ];
  it.each(layouts)('%s keeps rate, channels and samples (within one quantisation step)', (_name, options, tolerance) => {
    const odd = { id: 'LIST', body: Uint8Array.from([1, 2, 3]) }; // odd size: needs the RIFF pad byte
    const audio = decodeWav(encodeWav([left, right], { ...options, extraChunks: [odd] }));
    expect(audio.sampleRate).toBe(options.sampleRate);
    expect(audio.encoding).toBe(options.float ? 'float' : 'pcm');
    expect(audio.channels).toHaveLength(2);
    audio.channels[0]!.forEach((v, i) => expect(Math.abs(v - left[i]!)).toBeLessThanOrEqual(tolerance));
    audio.channels[1]!.forEach((v, i) => expect(Math.abs(v - right[i]!)).toBeLessThanOrEqual(tolerance));
  });

  it('tolerates a streaming data size of 0xFFFFFFFF', () => {
    const bytes = encodeWav([[0.5, -0.5]], { sampleRate: 8000, bitsPerSample: 16 });
    new DataView(bytes.buffer).setUint32(40, 0xffffffff, true);
    expect(Array.from(decodeWav(bytes).channels[0]!)).toEqual([0.5, -0.5]);
  });
});

describe('channel selection', () => {
  const audio = { channels: [Float32Array.from([1, 0.5]), Float32Array.from([0, -0.5]), Float32Array.from([0.5, 0.3])] };
  it('mixes down by the mean and selects single channels', () => {
    expect(Array.from(mixdown(audio))).toEqual([0.5, Math.fround(Math.fround(0.3) / 3)]);
    expect(selectChannel(audio, 1)).toBe(audio.channels[1]);
    expect(selectChannel(audio, 'mix')).toEqual(mixdown(audio));
    expect(() => selectChannel(audio, 3)).toThrow(/channel 3 does not exist/);
  });
});

const mimii = path.join(resolveDataDir(), 'mimii');
describe.skipIf(!hasDataDir('mimii/raw_8ch'))(`real MIMII files in ${mimii} (skipped when absent)`, () => {
  it('decodes the 8-channel WAVE_FORMAT_EXTENSIBLE original, whose mean is the published mono file', () => {
    const raw = decodeWav(readFileSync(path.join(mimii, 'raw_8ch/fan/id_unknown/normal/fan_normal.wav')));
    expect(raw).toMatchObject({ sampleRate: 16000, bitsPerSample: 16, frames: 160000 });
    expect(raw.channels).toHaveLength(8);
    const mono = decodeWav(readFileSync(path.join(mimii, 'fan/id_unknown/normal/fan_normal.wav')));
    expect(mono.channels).toHaveLength(1);
    const mixed = mixdown(raw);
    let worst = 0;
    for (let i = 0; i < mixed.length; i++) worst = Math.max(worst, Math.abs(mixed[i]! - mono.channels[0]![i]!));
    expect(worst * 32768).toBeLessThanOrEqual(0.5 + 1e-3); // the mono file is the mean rounded to int16
  });
});

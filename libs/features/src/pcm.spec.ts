import { describe, expect, it } from 'vitest';
import { decodePcm } from './pcm';

describe('decodePcm', () => {
  const ints = Int16Array.of(0, 1, -1, 32767, -32768, 12345);
  const expected = Float32Array.from(ints, (v) => v / 32767);

  it('decodes PCM_S16LE wherever the bytes sit in their buffer (an odd offset is copied, not misread)', () => {
    const bytes = new Uint8Array(ints.buffer);
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodePcm(bytes, 'PCM_S16LE')).toEqual(expected);
    expect(decodePcm(shifted.subarray(1), 'PCM_S16LE')).toEqual(expected);
    // A trailing odd byte is no sample; the output never aliases the input.
    const odd = Buffer.concat([Buffer.from(bytes), Buffer.of(7)]);
    const out = decodePcm(odd, 'PCM_S16LE');
    expect(out).toEqual(expected);
    odd.fill(0);
    expect(out).toEqual(expected);
  });

  it('decodes PCM_F32LE as is', () => {
    const floats = Float32Array.of(0.5, -0.25, 1);
    expect(decodePcm(new Uint8Array(floats.buffer), 'PCM_F32LE')).toEqual(floats);
  });
});

/**
 * PCM helpers: float samples in [-1, 1] ↔ 16-bit little-endian bytes (the AudioChunk `PCM_S16LE` encoding).
 * Values beyond full scale are clipped, as an ADC would.
 *
 * @example
 *   const bytes = floatToPcm16(Float32Array.of(0, 0.5, -1));
 *   pcm16ToFloat(bytes); // ≈ [0, 0.5, -1]
 */
import { decodePcm } from '@vigil/features';

export function floatToPcm16(samples: Float32Array): Buffer {
  // An Int16Array view is little-endian on every platform Node runs on here (x64, arm64), and ~10× faster
  // than Buffer.writeInt16LE per sample.
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    out[i] = Math.round((v > 1 ? 1 : v < -1 ? -1 : v) * 32767);
  }
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function pcm16ToFloat(bytes: Buffer): Float32Array {
  return decodePcm(bytes, 'PCM_S16LE');
}

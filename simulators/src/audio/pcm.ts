/**
 * PCM helpers: float samples in [-1, 1] ↔ 16-bit little-endian bytes (the AudioChunk `PCM_S16LE` encoding).
 * Values beyond full scale are clipped, as an ADC would.
 *
 * @example
 *   const bytes = floatToPcm16(Float32Array.of(0, 0.5, -1));
 *   pcm16ToFloat(bytes); // ≈ [0, 0.5, -1]
 */
export function floatToPcm16(samples: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const clipped = Math.max(-1, Math.min(1, samples[i]!));
    out.writeInt16LE(Math.round(clipped * 32767), i * 2);
  }
  return out;
}

export function pcm16ToFloat(bytes: Buffer): Float32Array {
  const out = new Float32Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = bytes.readInt16LE(i * 2) / 32767;
  return out;
}

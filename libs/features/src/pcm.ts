/**
 * PCM bytes (the AudioChunk wire encodings) to float samples in [-1, 1]. Int16/Float32
 * array views are little-endian on every platform Node runs on here (x64, arm64), and far faster than
 * per-sample Buffer reads.
 *
 * @example
 *   decodePcm(chunk.pcm, 'PCM_S16LE'); // Float32Array of chunk.pcm.length / 2 samples
 */
export type PcmEncoding = 'PCM_S16LE' | 'PCM_F32LE';

export function decodePcm(bytes: Uint8Array, encoding: PcmEncoding): Float32Array {
  if (encoding === 'PCM_F32LE') {
    const copy = new Uint8Array(bytes.length - (bytes.length % 4));
    copy.set(bytes.subarray(0, copy.length));
    return new Float32Array(copy.buffer);
  }
  const n = Math.floor(bytes.length / 2);
  // Read in place when the bytes sit on a 2-byte boundary (the output is a fresh array either way); else copy first.
  const ints = bytes.byteOffset % 2 === 0 ? new Int16Array(bytes.buffer, bytes.byteOffset, n) : new Int16Array(bytes.slice(0, 2 * n).buffer);
  const out = new Float32Array(n);
  // ÷ 32767: the exact inverse of the ×32767 our simulators (and most encoders) scale by.
  for (let i = 0; i < ints.length; i++) out[i] = ints[i]! / 32767;
  return out;
}

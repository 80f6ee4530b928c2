/**
 * WAV encoding of float samples — the inverse of decodeWav, for simulators and for specs that need files in every
 * supported layout. Integer formats round and clip to the target range (scale 2^(bits−1), as decodeWav).
 *
 * @example
 *   const bytes = encodeWav([left, right], { sampleRate: 16000, bitsPerSample: 16 });
 *   const same = encodeWav([mono], { sampleRate: 48000, bitsPerSample: 24, extensible: true });
 */

export interface WavEncodeOptions {
  sampleRate: number;
  bitsPerSample: 8 | 16 | 24 | 32 | 64;
  /** Write IEEE float (32 or 64 bits) instead of integer PCM. */
  float?: boolean;
  /** Write a WAVE_FORMAT_EXTENSIBLE fmt chunk (40 bytes, sub-format GUID). */
  extensible?: boolean;
  /** Extra chunks written between fmt and data, e.g. a `LIST` chunk, to exercise chunk skipping. */
  extraChunks?: { id: string; body: Uint8Array }[];
}

const GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

export function encodeWav(channels: readonly ArrayLike<number>[], options: WavEncodeOptions): Uint8Array {
  const { sampleRate, bitsPerSample, float = false, extensible = false, extraChunks = [] } = options;
  const valid = float ? bitsPerSample === 32 || bitsPerSample === 64 : bitsPerSample !== 64;
  if (!valid) throw new RangeError(`cannot write ${bitsPerSample}-bit ${float ? 'float' : 'integer'} samples`);
  const channelCount = channels.length;
  if (channelCount === 0) throw new RangeError('at least one channel is required');
  const frames = channels[0]?.length ?? 0;
  if (channels.some((c) => c.length !== frames)) throw new RangeError('all channels must have the same length');
  const bytesPerSample = bitsPerSample / 8;
  const blockAlign = channelCount * bytesPerSample;
  const dataSize = frames * blockAlign;
  const fmtSize = extensible ? 40 : 16;
  const extraSize = extraChunks.reduce((s, c) => s + 8 + c.body.length + (c.body.length & 1), 0);
  const total = 12 + 8 + fmtSize + extraSize + 8 + dataSize + (dataSize & 1);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const writeTag = (offset: number, tag: string) => [...tag].forEach((ch, i) => (bytes[offset + i] = ch.charCodeAt(0)));

  writeTag(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  writeTag(8, 'WAVE');
  writeTag(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  const plainTag = float ? 3 : 1;
  view.setUint16(20, extensible ? 0xfffe : plainTag, true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  if (extensible) {
    view.setUint16(36, 22, true);
    view.setUint16(38, bitsPerSample, true);
    view.setUint32(40, channelCount === 1 ? 0x4 : (1 << channelCount) - 1, true);
    view.setUint16(44, plainTag, true);
    bytes.set(GUID_TAIL, 46);
  }
  let offset = 20 + fmtSize;
  for (const chunk of extraChunks) {
    writeTag(offset, chunk.id);
    view.setUint32(offset + 4, chunk.body.length, true);
    bytes.set(chunk.body, offset + 8);
    offset += 8 + chunk.body.length + (chunk.body.length & 1);
  }
  writeTag(offset, 'data');
  view.setUint32(offset + 4, dataSize, true);
  offset += 8;

  const scale = 2 ** (bitsPerSample - 1);
  const toInt = (x: number) => Math.max(-scale, Math.min(scale - 1, Math.round(x * scale)));
  for (let frame = 0; frame < frames; frame++) {
    for (let c = 0; c < channelCount; c++) {
      const x = channels[c]![frame]!;
      if (float) {
        if (bitsPerSample === 32) view.setFloat32(offset, x, true);
        else view.setFloat64(offset, x, true);
      } else if (bitsPerSample === 8) view.setUint8(offset, toInt(x) + 128);
      else if (bitsPerSample === 16) view.setInt16(offset, toInt(x), true);
      else if (bitsPerSample === 24) {
        const v = toInt(x) & 0xffffff;
        bytes[offset] = v & 0xff;
        bytes[offset + 1] = (v >> 8) & 0xff;
        bytes[offset + 2] = (v >> 16) & 0xff;
      } else view.setInt32(offset, toInt(x), true);
      offset += bytesPerSample;
    }
  }
  return bytes;
}

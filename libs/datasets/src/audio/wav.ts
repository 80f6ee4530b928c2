/**
 * WAV (RIFF/WAVE) decoding to float samples in [-1, 1): integer PCM of 8 (unsigned), 16, 24 and 32 bits,
 * IEEE float of 32 and 64 bits, any channel count, plain `fmt ` (tags 1 and 3) and WAVE_FORMAT_EXTENSIBLE
 * (tag 0xFFFE, the sub-format GUID decides PCM vs float — MIMII's 8-channel originals use it). Unknown chunks
 * (`fact`, `LIST`, …) are skipped with RIFF's odd-size padding. Integers are scaled by 2^(bits−1) (so full-scale
 * negative is exactly −1), the convention of soundfile/librosa.
 *
 * @example
 *   const audio = decodeWav(await readFile('clip.wav'));     // { sampleRate, channels: Float32Array[], … }
 *   const mono = mixdown(audio);                             // mean of the channels
 *   const ch0 = audio.channels[0];
 */

export interface DecodedAudio {
  sampleRate: number;
  /** One Float32Array per channel, de-interleaved, in [-1, 1). */
  channels: Float32Array[];
  /** Bits per sample as stored (container size). */
  bitsPerSample: number;
  encoding: 'pcm' | 'float';
  /** Samples per channel. */
  frames: number;
}

export class WavFormatError extends Error {
  override readonly name = 'WavFormatError';
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

interface FormatChunk {
  encoding: 'pcm' | 'float';
  channelCount: number;
  sampleRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

function readFormat(view: DataView, offset: number, size: number): FormatChunk {
  if (size < 16) throw new WavFormatError(`fmt chunk too short (${size} bytes)`);
  let tag = view.getUint16(offset, true);
  const channelCount = view.getUint16(offset + 2, true);
  const sampleRate = view.getUint32(offset + 4, true);
  const blockAlign = view.getUint16(offset + 12, true);
  const bitsPerSample = view.getUint16(offset + 14, true);
  if (tag === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new WavFormatError('WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes');
    // The sub-format GUID starts with the plain format tag (KSDATAFORMAT_SUBTYPE_PCM = 0x0001…, _IEEE_FLOAT = 0x0003…).
    tag = view.getUint16(offset + 24, true);
  }
  if (tag !== WAVE_FORMAT_PCM && tag !== WAVE_FORMAT_IEEE_FLOAT)
    throw new WavFormatError(`unsupported WAV format tag 0x${tag.toString(16)} (only PCM and IEEE float)`);
  const encoding = tag === WAVE_FORMAT_PCM ? 'pcm' : 'float';
  const supported = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!supported.includes(bitsPerSample)) throw new WavFormatError(`unsupported ${bitsPerSample}-bit ${encoding} samples`);
  if (channelCount < 1) throw new WavFormatError('WAV has no channels');
  if (sampleRate < 1) throw new WavFormatError('WAV sample rate is 0');
  if (blockAlign !== channelCount * (bitsPerSample / 8))
    throw new WavFormatError(`block align ${blockAlign} does not match ${channelCount} × ${bitsPerSample}-bit samples`);
  return { encoding, channelCount, sampleRate, blockAlign, bitsPerSample };
}

function sampleReader(view: DataView, format: FormatChunk): (byteOffset: number) => number {
  const { encoding, bitsPerSample } = format;
  if (encoding === 'float') return bitsPerSample === 32 ? (o) => view.getFloat32(o, true) : (o) => view.getFloat64(o, true);
  switch (bitsPerSample) {
    case 8:
      return (o) => (view.getUint8(o) - 128) / 128;
    case 16:
      return (o) => view.getInt16(o, true) / 32768;
    case 24:
      return (o) => {
        const unsigned = view.getUint8(o) | (view.getUint8(o + 1) << 8) | (view.getUint8(o + 2) << 16);
        return ((unsigned << 8) >> 8) / 8388608; // sign-extend 24 → 32 bits
      };
    default:
      return (o) => view.getInt32(o, true) / 2147483648;
  }
}

/** Decodes a whole WAV file held in memory. */
export function decodeWav(bytes: Uint8Array): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
  if (bytes.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');

  let format: FormatChunk | undefined;
  let offset = 12;
  while (offset + 8 <= bytes.byteLength) {
    const id = tag(offset);
    const declared = view.getUint32(offset + 4, true);
    const body = offset + 8;
    // Streaming writers leave 0 or 0xFFFFFFFF in the data size; trust the bytes actually present.
    const size = Math.min(declared, bytes.byteLength - body);
    if (id === 'fmt ') format = readFormat(view, body, size);
    else if (id === 'data') {
      if (!format) throw new WavFormatError('data chunk before fmt chunk');
      const usable = declared === 0 || declared === 0xffffffff ? bytes.byteLength - body : size;
      return decodeSamples(view, body, usable, format);
    }
    offset = body + declared + (declared & 1);
  }
  throw new WavFormatError(format ? 'no data chunk' : 'no fmt chunk');
}

function decodeSamples(view: DataView, start: number, size: number, format: FormatChunk): DecodedAudio {
  const frames = Math.floor(size / format.blockAlign);
  const bytesPerSample = format.bitsPerSample / 8;
  const read = sampleReader(view, format);
  const channels = Array.from({ length: format.channelCount }, () => new Float32Array(frames));
  for (let frame = 0; frame < frames; frame++) {
    const base = start + frame * format.blockAlign;
    for (let c = 0; c < format.channelCount; c++) channels[c]![frame] = read(base + c * bytesPerSample);
  }
  return { sampleRate: format.sampleRate, channels, bitsPerSample: format.bitsPerSample, encoding: format.encoding, frames };
}

/** Mean of all channels (MIMII's published mono files are this downmix of the 8 microphones). */
export function mixdown(audio: Pick<DecodedAudio, 'channels'>): Float32Array {
  const { channels } = audio;
  if (channels.length === 0) throw new RangeError('no channels to mix');
  if (channels.length === 1) return channels[0]!;
  const out = new Float32Array(channels[0]!.length);
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i]! += channel[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= channels.length;
  return out;
}

/** One channel by index, or the mixdown for `'mix'`. */
export function selectChannel(audio: Pick<DecodedAudio, 'channels'>, channel: number | 'mix'): Float32Array {
  if (channel === 'mix') return mixdown(audio);
  const selected = audio.channels[channel];
  if (!selected) throw new RangeError(`channel ${channel} does not exist (audio has ${audio.channels.length})`);
  return selected;
}

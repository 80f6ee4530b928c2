/**
 * Width and height of a JPEG or PNG from its header, without decoding pixels: replayed images are sent as the
 * camera's compressed bytes, and the frame record still needs their size. JPEG: the first SOFn marker; PNG: IHDR.
 *
 * @example
 *   imageHeader(readFileSync('tile.jpg')); // { encoding: 'JPEG', width: 410, height: 226, channels: 1 }
 */
import type { ImageEncoding } from '../contracts';

export interface ImageHeader {
  encoding: Extract<ImageEncoding, 'JPEG' | 'PNG'>;
  width: number;
  height: number;
  channels: number;
}

export class ImageHeaderError extends Error {
  override readonly name = 'ImageHeaderError';
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** PNG colour type → channels (grey, RGB, palette, grey+alpha, RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

export function imageHeader(bytes: Buffer): ImageHeader {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new ImageHeaderError('PNG without IHDR first');
    return { encoding: 'PNG', width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), channels: PNG_CHANNELS[bytes[25]!] ?? 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHeader(bytes);
  throw new ImageHeaderError('neither JPEG nor PNG');
}

function jpegHeader(bytes: Buffer): ImageHeader {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new ImageHeaderError(`JPEG marker expected at byte ${offset}`);
    const marker = bytes[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(offset + 2);
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { encoding: 'JPEG', height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7), channels: bytes[offset + 9]! };
    }
    offset += 2 + length;
  }
  throw new ImageHeaderError('JPEG without a frame header');
}

import { decodeImage } from '@vigil/datasets';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeEncodedFrame, imageFrameInput } from './image-frame-input';

const MANIFEST = { inputSize: [32, 32] as [number, number], channels: 3 as const };

async function gradientJpeg(width: number, height: number): Promise<Buffer> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) rgb.fill(Math.round((255 * (x + y)) / (width + height)), 3 * (y * width + x), 3 * (y * width + x) + 3);
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

const frame = (data: Buffer, width: number, height: number, encoding = 'JPEG') => ({
  deviceId: 'cam',
  eventTimeMs: 0,
  seq: 0,
  width,
  height,
  channels: 3,
  encoding,
  data,
});

describe('decodeEncodedFrame', () => {
  it('decodes a JPEG to the model’s input size and channels exactly as training decodes files, which imageFrameInput then reads unchanged', async () => {
    const jpeg = await gradientJpeg(80, 60);
    const decoded = await decodeEncodedFrame(frame(jpeg, 80, 60), MANIFEST);
    expect(decoded).toMatchObject({ encoding: 'RAW_F32', width: 32, height: 32, channels: 3, deviceId: 'cam' });
    const reference = await decodeImage(jpeg, { size: MANIFEST.inputSize, channels: 3 });
    const input = imageFrameInput(decoded, MANIFEST)!;
    expect(input.length).toBe(32 * 32 * 3);
    expect(Array.from(input)).toEqual(Array.from(reference.data));
  });

  it('refuses bytes that do not decode, a frame too large to decode, and raw frames, with the reason', async () => {
    await expect(decodeEncodedFrame(frame(Buffer.from('not a jpeg at all'), 80, 60), MANIFEST)).rejects.toThrow();
    await expect(decodeEncodedFrame(frame(await gradientJpeg(8, 8), 100_000, 100_000), MANIFEST)).rejects.toThrow(/exceeds 16777216 pixels/);
    await expect(decodeEncodedFrame(frame(Buffer.alloc(12), 2, 2, 'RAW_U8'), MANIFEST)).rejects.toThrow(/RAW_U8 is not PNG or JPEG/);
  });
});

/**
 * A posted PNG/JPEG frame as the raw pixels the fused model's frame builder reads (RAW_U8, its channel count).
 * Dimensions that divide into the model's keep the stream's own block averaging (`downsampleImage`); any other
 * size is resized to the model's size here first.
 */
import sharp from 'sharp';

export class ImageFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFrameError';
  }
}

/** Larger frames are refused before decoding (a small PNG can declare a huge canvas). */
const MAX_PIXELS = 4096 * 4096;

export async function decodeFrame(
  bytes: Buffer,
  shape: { height: number; width: number; channels: number },
): Promise<{ pixels: Uint8Array; width: number; height: number }> {
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_PIXELS });
    const { width = 0, height = 0 } = await image.metadata();
    let pipeline = shape.channels === 1 ? image.toColourspace('b-w') : image.removeAlpha();
    if (width % shape.width !== 0 || height % shape.height !== 0) pipeline = pipeline.resize(shape.width, shape.height, { fit: 'fill' });
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== shape.channels) throw new ImageFrameError(`decoded ${info.channels} channels, the model reads ${shape.channels}`);
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof ImageFrameError) throw err;
    throw new ImageFrameError('not a PNG or JPEG image this model can read');
  }
}

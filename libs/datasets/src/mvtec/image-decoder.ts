/**
 * PNG/JPEG (and whatever else libvips reads) → a resized, normalised float image, channels last. sharp does the
 * decoding and the resampling; this file only fixes the conventions: `[height, width, channels]`, values in 0..1
 * before normalisation, grey images replicated when colour is asked for, masks binarised at half intensity.
 *
 * @example
 *   const img = await decodeImage('tile.jpg', { size: [256, 256], channels: 3, normalise: IMAGENET_NORMALISATION });
 *   const mask = await decodeMask('tile_mask.png', [256, 256]); // Uint8Array of 0/1
 */
import sharp from 'sharp';

export interface Normalisation {
  mean: readonly number[];
  std: readonly number[];
}

/** ImageNet statistics, the ones the pretrained backbones were trained with (per RGB channel). */
export const IMAGENET_NORMALISATION: Normalisation = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

export interface DecodeOptions {
  /** `[height, width]` after resizing; omitted → the file's own size. */
  size?: readonly [number, number];
  /** 1 = grey, 3 = RGB. */
  channels: 1 | 3;
  /** Applied after scaling to 0..1; omitted → values stay in 0..1. */
  normalise?: Normalisation;
}

export interface FloatImage {
  data: Float32Array;
  height: number;
  width: number;
  channels: number;
}

export async function decodeImage(source: string | Buffer, options: DecodeOptions): Promise<FloatImage> {
  let pipeline = sharp(source).removeAlpha();
  pipeline = options.channels === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
  if (options.size) pipeline = pipeline.resize({ height: options.size[0], width: options.size[1], fit: 'fill', kernel: 'cubic' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const channels = options.channels;
  const out = new Float32Array(info.width * info.height * channels);
  const inChannels = info.channels;
  for (let p = 0; p < info.width * info.height; p++) {
    for (let c = 0; c < channels; c++) {
      // A grey source decoded as colour still reports one channel on some files; replicate it.
      const value = (data[p * inChannels + Math.min(c, inChannels - 1)] ?? 0) / 255;
      out[p * channels + c] = options.normalise ? (value - (options.normalise.mean[c] ?? 0)) / (options.normalise.std[c] ?? 1) : value;
    }
  }
  return { data: out, height: info.height, width: info.width, channels };
}

/** A defect mask resized with nearest neighbour (no invented grey edges), 1 where the mask is white. */
export async function decodeMask(path: string, size?: readonly [number, number]): Promise<{ data: Uint8Array; height: number; width: number }> {
  let pipeline = sharp(path).greyscale();
  if (size) pipeline = pipeline.resize({ height: size[0], width: size[1], fit: 'fill', kernel: 'nearest' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  const out = new Uint8Array(info.width * info.height);
  for (let p = 0; p < out.length; p++) out[p] = (data[p * info.channels] ?? 0) >= 128 ? 1 : 0;
  return { data: out, height: info.height, width: info.width };
}

/** The size of an image file without decoding its pixels. */
export async function imageSize(path: string): Promise<{ height: number; width: number }> {
  const meta = await sharp(path).metadata();
  return { height: meta.height ?? 0, width: meta.width ?? 0 };
}

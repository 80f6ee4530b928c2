/**
 * Image file or decoded image → the backbone's input: RGB (grey replicated), ImageNet-normalised, resized, NCHW.
 *
 * @example
 *   const chw = await backboneInput('tile.jpg', [256, 256]); // Float32Array of 3·256·256
 */
import { decodeImage, type FloatImage, IMAGENET_NORMALISATION } from '@vigil/datasets';

export async function decodeForBackbone(source: string | Buffer, size: readonly [number, number]): Promise<FloatImage> {
  return decodeImage(source, { size, channels: 3, normalise: IMAGENET_NORMALISATION });
}

export async function backboneInput(source: string | Buffer, size: readonly [number, number]): Promise<Float32Array> {
  return toChw(await decodeForBackbone(source, size));
}

/** Channels-last → channels-first, optionally into a batch buffer at `offset`. */
export function toChw(image: FloatImage, out = new Float32Array(image.data.length), offset = 0): Float32Array {
  const { height, width, channels, data } = image;
  const plane = height * width;
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[offset + c * plane + p] = data[p * channels + c]!;
  return out;
}

/**
 * Image file or decoded image → the backbone's input. Vision models take images as every other caller gives them
 * (values 0..1, channels-last: what the live contract, the CLI and the evaluation decode); the one place that turns
 * them into what the backbone was trained on is `toChw` here: RGB (grey replicated), BACKBONE_NORMALISATION,
 * channels-first.
 *
 * @example
 *   const chw = await backboneInput('tile.jpg', [256, 256]); // Float32Array of 3·256·256, normalised
 */
import { decodeImage, type FloatImage } from '@vigil/datasets';
import { BACKBONE_NORMALISATION } from '../backbone/efficientnet-lite.constants';

/** Decoded for the backbone: RGB at `size`, values 0..1 (`toChw` normalises). */
export async function decodeForBackbone(source: string | Buffer, size: readonly [number, number]): Promise<FloatImage> {
  return decodeImage(source, { size, channels: 3 });
}

export async function backboneInput(source: string | Buffer, size: readonly [number, number]): Promise<Float32Array> {
  return toChw(await decodeForBackbone(source, size));
}

/**
 * A 0..1 RGB image, channels-last → the backbone's normalised channels-first input, optionally into a batch buffer
 * at `offset`.
 */
export function toChw(image: FloatImage, out = new Float32Array(image.data.length), offset = 0): Float32Array {
  const { height, width, channels, data } = image;
  const { mean, std } = BACKBONE_NORMALISATION;
  const plane = height * width;
  for (let p = 0; p < plane; p++) for (let c = 0; c < channels; c++) out[offset + c * plane + p] = (data[p * channels + c]! - mean[c]!) / std[c]!;
  return out;
}

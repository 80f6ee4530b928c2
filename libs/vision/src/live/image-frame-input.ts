/**
 * A camera frame off the image topic (the `ImageFrame` contract: RAW_U8 or RAW_F32 pixels, row-major,
 * channel-interleaved) as a vision model's input: values 0..1, the model's channels (grey ↔ RGB by replication or
 * the channel mean), resized to its input size with the same bilinear resize the models were evaluated with
 * (`resizeImage`; a frame already at the input size is copied as is, which is the simulator's 64×64 case).
 * PNG and JPEG frames give undefined: decoding them is asynchronous (sharp), so the detector decodes them at
 * ingest with `decodeEncodedFrame` — straight to the model's input size and channels, as training decoded the
 * files (sharp, cubic) — and the window carries the decoded frame.
 *
 * @example
 *   const input = imageFrameInput(frame, model.manifest);   // Float32Array of 64·64·1, or undefined
 */
import { decodeImage } from '@vigil/datasets';
import { resizeImage } from '../features/resize-image';
import type { VisionManifest } from '../models/vision-model';

/** Largest encoded frame decoded (pixels): a decompression bomb is refused, not decoded. */
export const MAX_ENCODED_FRAME_PIXELS = 4096 * 4096;

/**
 * A PNG or JPEG frame decoded to what `imageFrameInput` reads unchanged: RAW_F32 (0..1) at the model's input size
 * and channels. Throws (with the reason) when the bytes do not decode or the image is too large.
 */
export async function decodeEncodedFrame<F extends RawImageFrame>(frame: F, manifest: Pick<VisionManifest, 'inputSize' | 'channels'>): Promise<F> {
  if (frame.encoding !== 'PNG' && frame.encoding !== 'JPEG') throw new Error(`frame encoding ${frame.encoding} is not PNG or JPEG`);
  if (frame.width * frame.height > MAX_ENCODED_FRAME_PIXELS)
    throw new Error(`frame of ${frame.width}×${frame.height} exceeds ${MAX_ENCODED_FRAME_PIXELS} pixels`);
  const image = await decodeImage(Buffer.from(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength), {
    size: manifest.inputSize,
    channels: manifest.channels,
  });
  const data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return { ...frame, encoding: 'RAW_F32', width: image.width, height: image.height, channels: image.channels, data };
}

/** The fields of `ImageFrame` (@vigil/contracts) a model input needs. */
export interface RawImageFrame {
  width: number;
  height: number;
  channels: number;
  encoding: string;
  data: Uint8Array;
}

export function imageFrameInput(frame: RawImageFrame, manifest: Pick<VisionManifest, 'inputSize' | 'channels'>): Float32Array | undefined {
  const { width, height, channels } = frame;
  const pixels = width * height;
  if (pixels === 0 || (channels !== 1 && channels !== 3)) return undefined;
  let values: Float32Array;
  if (frame.encoding === 'RAW_U8') {
    if (frame.data.length !== pixels * channels) return undefined;
    values = new Float32Array(pixels * channels);
    for (let i = 0; i < values.length; i++) values[i] = frame.data[i]! / 255;
  } else if (frame.encoding === 'RAW_F32') {
    if (frame.data.byteLength !== pixels * channels * 4) return undefined;
    // The bytes may sit at any offset of a decoded Avro buffer: copy them out (little-endian, as the producer wrote them).
    const view = new DataView(frame.data.buffer, frame.data.byteOffset, frame.data.byteLength);
    values = Float32Array.from({ length: pixels * channels }, (_, i) => view.getFloat32(4 * i, true));
  } else {
    return undefined;
  }
  const wanted = manifest.channels;
  if (channels !== wanted) values = wanted === 1 ? channelMean(values, pixels) : replicate(values, pixels);
  const [h, w] = manifest.inputSize;
  if (h === height && w === width) return values;
  return resizeImage({ data: values, height, width, channels: wanted }, [h, w]).data;
}

function channelMean(rgb: Float32Array, pixels: number): Float32Array {
  const out = new Float32Array(pixels);
  for (let i = 0; i < pixels; i++) out[i] = (rgb[3 * i]! + rgb[3 * i + 1]! + rgb[3 * i + 2]!) / 3;
  return out;
}

function replicate(grey: Float32Array, pixels: number): Float32Array {
  const out = new Float32Array(pixels * 3);
  for (let i = 0; i < pixels; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = grey[i]!;
  return out;
}

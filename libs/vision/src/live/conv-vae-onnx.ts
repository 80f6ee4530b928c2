/**
 * The conv VAE (models/thermal-conv-vae) served on ONNX Runtime, behind the same VisionModel contract as its
 * tfjs form (`ConvVaeVisionModel`): the encoder and decoder are exported from the saved tfjs layers with
 * @vigil/ml's exporter and run as two sessions (encoder → posterior; decoder on the posterior mean). The map and
 * score are computed exactly as the tfjs model computes them (squared error, Gaussian-smoothed, maximum), so the
 * two runtimes agree to float rounding (conv-vae-onnx.spec.ts: 1e-4).
 *
 * @example
 *   const model = await OnnxConvVaeVisionModel.load('models/thermal-conv-vae');
 *   const [{ score, map }] = await model.score([frame]);   // frame: 64×64 grey, values 0..1
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FloatImage } from '@vigil/datasets';
import { exportToOnnx, OnnxInferenceSession, tf } from '@vigil/ml';
import { mapMax, smoothMap } from '../maps/anomaly-map';
import type { ConvVaeSettings } from '../models/conv-vae/conv-vae.model';
import type { VisionManifest, VisionModel, VisionScore } from '../models/vision-model';

/** Where the exported graphs sit in a conv-VAE model folder (written by `writeConvVaeOnnx`). */
export const CONV_VAE_ONNX_FILES = { encoder: path.join('onnx', 'encoder.onnx'), decoder: path.join('onnx', 'decoder.onnx') } as const;

/** The saved tfjs encoder and decoder of a conv-VAE folder, exported to ONNX (serialised ModelProtos). */
export async function exportConvVaeOnnx(dir: string): Promise<{ encoder: Uint8Array; decoder: Uint8Array }> {
  const encoder = await tf.loadLayersModel(`file://${path.join(dir, 'encoder', 'model.json')}`);
  const decoder = await tf.loadLayersModel(`file://${path.join(dir, 'decoder', 'model.json')}`);
  try {
    return { encoder: exportToOnnx(encoder).model, decoder: exportToOnnx(decoder).model };
  } finally {
    encoder.dispose();
    decoder.dispose();
  }
}

/** Writes the ONNX export beside the tfjs layers (CONV_VAE_ONNX_FILES), for runtimes other than ours to read. */
export async function writeConvVaeOnnx(dir: string): Promise<string[]> {
  const { encoder, decoder } = await exportConvVaeOnnx(dir);
  const files = [path.join(dir, CONV_VAE_ONNX_FILES.encoder), path.join(dir, CONV_VAE_ONNX_FILES.decoder)];
  mkdirSync(path.dirname(files[0]!), { recursive: true });
  writeFileSync(files[0]!, encoder);
  writeFileSync(files[1]!, decoder);
  return files;
}

export class OnnxConvVaeVisionModel implements VisionModel {
  private constructor(
    readonly manifest: VisionManifest,
    private readonly encoder: OnnxInferenceSession,
    private readonly decoder: OnnxInferenceSession,
  ) {}

  /**
   * `from: 'layers'` (default) exports the folder's tfjs layers at load (a few ms), so the served graphs can never
   * lag the weights; `'files'` reads the committed CONV_VAE_ONNX_FILES instead. One intra-op thread: a 64×64 frame
   * is far too small for a thread pool to pay off, and its spinning would take CPU from the event loop.
   */
  static async load(dir: string, options: { from?: 'layers' | 'files'; threads?: number } = {}): Promise<OnnxConvVaeVisionModel> {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VisionManifest;
    if (manifest.kind !== 'conv-vae') throw new Error(`${dir}: ONNX serving here is for conv-vae models, this one is ${manifest.kind}`);
    const session = { intraOpNumThreads: options.threads ?? 1 };
    let graphs: { encoder: Uint8Array | string; decoder: Uint8Array | string };
    if (options.from === 'files') {
      graphs = { encoder: path.join(dir, CONV_VAE_ONNX_FILES.encoder), decoder: path.join(dir, CONV_VAE_ONNX_FILES.decoder) };
      for (const file of Object.values(graphs)) if (!existsSync(file as string)) throw new Error(`${file} is missing: run npm run export:thermal-live`);
    } else {
      graphs = await exportConvVaeOnnx(dir);
    }
    return new OnnxConvVaeVisionModel(
      manifest,
      await OnnxInferenceSession.create(graphs.encoder, session),
      await OnnxInferenceSession.create(graphs.decoder, session),
    );
  }

  async score(images: readonly FloatImage[]): Promise<VisionScore[]> {
    const { size, latent, sigma } = this.manifest.settings as unknown as ConvVaeSettings;
    const pixels = size * size;
    const n = images.length;
    if (n === 0) return [];
    const data = new Float32Array(n * pixels);
    images.forEach((image, k) => data.set(image.data.subarray(0, pixels), k * pixels));
    const encoded = await this.encoder.run({ [this.encoder.inputNames[0]!]: { data, shape: [n, size, size, 1] } });
    const [mean, logVar] = this.encoder.outputNames.map((name) => encoded[name]!.data as Float32Array);
    const decoded = await this.decoder.run({ [this.decoder.inputNames[0]!]: { data: mean!, shape: [n, latent] } });
    const recon = decoded[this.decoder.outputNames[0]!]!.data as Float32Array;
    return images.map((_, k) => {
      const squared = new Float32Array(pixels);
      for (let i = 0; i < pixels; i++) {
        const d = data[k * pixels + i]! - recon[k * pixels + i]!;
        squared[i] = d * d;
      }
      const map = smoothMap(squared, size, size, Number(sigma ?? 0));
      return { score: mapMax(map), map, latent: { mean: mean!.slice(k * latent, (k + 1) * latent), logVar: logVar!.slice(k * latent, (k + 1) * latent) } };
    });
  }

  async save(): Promise<void> {
    throw new Error('an ONNX-served conv VAE is saved from its tfjs form (ConvVaeVisionModel.save)');
  }

  async dispose(): Promise<void> {
    await Promise.all([this.encoder.dispose(), this.decoder.dispose()]);
  }
}

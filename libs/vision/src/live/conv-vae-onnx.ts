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
import { exportToOnnx, OnnxInferenceSession, type OnnxSessionHost, tf } from '@vigil/ml';
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

/** ONNX names of the scoring graph's own outputs (after the posterior's mean and log-variance). */
const ERROR_MAP_OUTPUT = 'error_map';
const SCORE_OUTPUT = 'score';

/**
 * The conv VAE's whole score as one ONNX graph: image → encoder → decoder on the posterior mean → squared error →
 * Gaussian smoothing → its maximum, with outputs mean, logVar, `error_map` [n, size, size] and `score` [n]. The
 * smoothing is `smoothMap`'s (edge-clamped, separable, the same normalised kernel) as Pad(edge) + two Convs. One
 * session run per batch, and nothing of the score left to compute on the caller's thread.
 */
export function exportConvVaeScoring(encoder: tf.LayersModel, decoder: tf.LayersModel, size: number, sigma: number): Uint8Array {
  const image = tf.input({ shape: [size, size, 1], name: 'image' });
  const [mean, logVar] = encoder.apply(image) as tf.SymbolicTensor[];
  const reconstruction = decoder.apply(mean!) as tf.SymbolicTensor;
  const whole = tf.model({ inputs: image, outputs: [mean!, logVar!, reconstruction], name: 'conv_vae_score' });
  const latent = mean!.shape[1] as number;
  return exportToOnnx(whole, {
    tail: (g, { inputs, outputs, batch }) => {
      const [x] = inputs as [string];
      const [mu, lv, recon] = outputs as [string, string, string];
      const ints = (name: string, values: number[]) => g.addInt64Initializer(name, [values.length], values);
      const diff = g.op('Sub', [x, recon]);
      // [n, size, size, 1] and [n, 1, size, size] hold the same values in the same order: one channel.
      let map = g.op('Reshape', [g.op('Mul', [diff, diff]), ints('map_nchw', [0, 1, size, size])]);
      if (sigma > 0) {
        const weights = gaussianKernel(sigma);
        const radius = (weights.length - 1) / 2;
        const rows = g.op('Pad', [map, ints('pad_x', [0, 0, 0, radius, 0, 0, 0, radius])], { mode: 'edge' });
        map = g.op('Conv', [rows, g.addFloatInitializer('smooth_x', [1, 1, 1, weights.length], weights)]);
        const columns = g.op('Pad', [map, ints('pad_y', [0, 0, radius, 0, 0, 0, radius, 0])], { mode: 'edge' });
        map = g.op('Conv', [columns, g.addFloatInitializer('smooth_y', [1, 1, weights.length, 1], weights)]);
      }
      g.addNode('Reshape', [map, ints('map_shape', [0, size, size])], {}, [g.reserveName(ERROR_MAP_OUTPUT)]);
      g.addNode('ReduceMax', [ERROR_MAP_OUTPUT], { axes: [1, 2], keepdims: 0 }, [g.reserveName(SCORE_OUTPUT)]);
      return {
        outputs: [
          { name: mu, shape: [batch, latent] },
          { name: lv, shape: [batch, latent] },
          { name: ERROR_MAP_OUTPUT, shape: [batch, size, size] },
          { name: SCORE_OUTPUT, shape: [batch] },
        ],
      };
    },
  }).model;
}

/** smoothMap's kernel: exp(−k²/2σ²) for |k| ≤ ⌈4σ⌉, normalised to sum 1. */
function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.ceil(4 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = kernel.reduce((a, b) => a + b, 0);
  return Float32Array.from(kernel, (k) => k / total);
}

/** How the model's graphs are served: its whole score as one session (from the layers), or the committed encoder and decoder files. */
type ConvVaeSessions = { whole: OnnxInferenceSession } | { encoder: OnnxInferenceSession; decoder: OnnxInferenceSession };

export class OnnxConvVaeVisionModel implements VisionModel {
  private constructor(
    readonly manifest: VisionManifest,
    private readonly sessions: ConvVaeSessions,
  ) {}

  /**
   * `from: 'layers'` (default) exports the folder's tfjs layers at load (a few ms), so the served graph can never
   * lag the weights, as one scoring graph (`exportConvVaeScoring`); `'files'` reads the committed
   * CONV_VAE_ONNX_FILES instead (encoder and decoder; the map is then computed here). One intra-op thread: a 64×64
   * frame is far too small for a thread pool to pay off, and its spinning would take CPU from the event loop.
   * `host`: where the sessions run (`worker`: the ONNX session worker thread, off the caller's event loop; default
   * in this thread).
   */
  static async load(dir: string, options: { from?: 'layers' | 'files'; threads?: number; host?: OnnxSessionHost } = {}): Promise<OnnxConvVaeVisionModel> {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as VisionManifest;
    if (manifest.kind !== 'conv-vae') throw new Error(`${dir}: ONNX serving here is for conv-vae models, this one is ${manifest.kind}`);
    const session = { intraOpNumThreads: options.threads ?? 1, host: options.host };
    if (options.from === 'files') {
      const files = { encoder: path.join(dir, CONV_VAE_ONNX_FILES.encoder), decoder: path.join(dir, CONV_VAE_ONNX_FILES.decoder) };
      for (const file of Object.values(files)) if (!existsSync(file)) throw new Error(`${file} is missing: run npm run export:thermal-live`);
      return new OnnxConvVaeVisionModel(manifest, {
        encoder: await OnnxInferenceSession.create(files.encoder, session),
        decoder: await OnnxInferenceSession.create(files.decoder, session),
      });
    }
    const { size, sigma } = manifest.settings as unknown as ConvVaeSettings;
    const encoder = await tf.loadLayersModel(`file://${path.join(dir, 'encoder', 'model.json')}`);
    const decoder = await tf.loadLayersModel(`file://${path.join(dir, 'decoder', 'model.json')}`);
    let graph: Uint8Array;
    try {
      graph = exportConvVaeScoring(encoder, decoder, size, Number(sigma ?? 0));
    } finally {
      encoder.dispose();
      decoder.dispose();
    }
    return new OnnxConvVaeVisionModel(manifest, { whole: await OnnxInferenceSession.create(graph, session) });
  }

  async score(images: readonly FloatImage[]): Promise<VisionScore[]> {
    const { size, latent } = this.manifest.settings as unknown as ConvVaeSettings;
    const pixels = size * size;
    const n = images.length;
    if (n === 0) return [];
    const data = new Float32Array(n * pixels);
    images.forEach((image, k) => data.set(image.data.subarray(0, pixels), k * pixels));
    const { mean, logVar, maps, scores } =
      'whole' in this.sessions ? await this.scoreWhole(this.sessions.whole, data, n) : await this.scoreByParts(this.sessions, data, n);
    return images.map((_, k) => ({
      score: scores[k]!,
      map: maps.subarray(k * pixels, (k + 1) * pixels),
      latent: { mean: mean.slice(k * latent, (k + 1) * latent), logVar: logVar.slice(k * latent, (k + 1) * latent) },
    }));
  }

  async save(): Promise<void> {
    throw new Error('an ONNX-served conv VAE is saved from its tfjs form (ConvVaeVisionModel.save)');
  }

  async dispose(): Promise<void> {
    await Promise.all(Object.values(this.sessions).map((s: OnnxInferenceSession) => s.dispose()));
  }

  private async scoreWhole(session: OnnxInferenceSession, data: Float32Array, n: number): Promise<ScoredBatch> {
    const { size } = this.manifest.settings as unknown as ConvVaeSettings;
    const out = await session.run({ [session.inputNames[0]!]: { data, shape: [n, size, size, 1] } });
    const [mean, logVar, maps, scores] = session.outputNames.map((name) => out[name]!.data) as [Float32Array, Float32Array, Float32Array, Float32Array];
    return { mean, logVar, maps, scores };
  }

  /** The committed files' way: encoder, then decoder on the posterior mean, and the map and its maximum computed here. */
  private async scoreByParts(
    { encoder, decoder }: { encoder: OnnxInferenceSession; decoder: OnnxInferenceSession },
    data: Float32Array,
    n: number,
  ): Promise<ScoredBatch> {
    const { size, latent, sigma } = this.manifest.settings as unknown as ConvVaeSettings;
    const pixels = size * size;
    const encoded = await encoder.run({ [encoder.inputNames[0]!]: { data, shape: [n, size, size, 1] } });
    const [mean, logVar] = encoder.outputNames.map((name) => encoded[name]!.data) as [Float32Array, Float32Array];
    const decoded = await decoder.run({ [decoder.inputNames[0]!]: { data: mean, shape: [n, latent] } });
    const recon = decoded[decoder.outputNames[0]!]!.data;
    const maps = new Float32Array(n * pixels);
    const scores = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const squared = new Float32Array(pixels);
      for (let i = 0; i < pixels; i++) {
        const d = data[k * pixels + i]! - recon[k * pixels + i]!;
        squared[i] = d * d;
      }
      const map = smoothMap(squared, size, size, Number(sigma ?? 0));
      maps.set(map, k * pixels);
      scores[k] = mapMax(map);
    }
    return { mean, logVar, maps, scores };
  }
}

interface ScoredBatch {
  mean: Float32Array;
  logVar: Float32Array;
  /** [n][size × size] */
  maps: Float32Array;
  scores: Float32Array;
}

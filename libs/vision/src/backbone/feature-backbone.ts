/**
 * The converted backbone (EfficientNet-Lite2) in ONNX Runtime: NCHW float batches in, the 376-channel stride-8 feature grid
 * out. One session per process; batches of any size and any input size divisible by 32.
 *
 * @example
 *   const backbone = await FeatureBackbone.load(requireBackbone(cacheDir), { threads: 2 });
 *   const grid = await backbone.features(batch, [8, 3, 256, 256]); // { data, shape: [8, 376, 32, 32] }
 *   await backbone.dispose();
 */
import { OnnxInferenceSession, type OnnxSessionHost, type OnnxSessionOptions, type TensorData } from '@vigil/ml';
import { BACKBONE_INPUT } from './efficientnet-lite.onnx-graph';

const BACKBONE_FEATURES = 'features';

/**
 * Session options of every vision session (backbone and heads). The CPU arena stays on: one image at a time (live
 * scoring) it grows once to one call's activations and is reused (+40–60 MB, steady); without it glibc keeps each
 * call's freed buffers and resident memory drifts 100–200 MB higher. After a batch of 8 at 320² it holds that batch's
 * activations (+270 MB), the price of batch speed.
 */
export const VISION_SESSION_OPTIONS: OnnxSessionOptions = { enableCpuMemArena: true, executionMode: 'sequential', graphOptimizationLevel: 'all' };

export class FeatureBackbone {
  private constructor(private readonly session: OnnxInferenceSession) {}

  /** `host: 'worker'` runs the backbone in the ONNX session worker thread, off the caller's event loop (default: in this thread). */
  static async load(onnxPath: string, options: { threads?: number; host?: OnnxSessionHost } = {}): Promise<FeatureBackbone> {
    const session = await OnnxInferenceSession.create(onnxPath, {
      ...VISION_SESSION_OPTIONS,
      ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
      host: options.host,
    });
    return new FeatureBackbone(session);
  }

  /** All outputs by name (stride8, stride16, stride32, features). */
  async run(images: Float32Array, shape: readonly [number, number, number, number]): Promise<Record<string, TensorData>> {
    return this.session.run({ [BACKBONE_INPUT]: { data: images, shape: [...shape] } });
  }

  /** Only the fused grid is fetched: the block outputs are not copied out. */
  async features(images: Float32Array, shape: readonly [number, number, number, number]): Promise<TensorData> {
    const outputs = await this.session.run({ [BACKBONE_INPUT]: { data: images, shape: [...shape] } }, [BACKBONE_FEATURES]);
    return outputs[BACKBONE_FEATURES]!;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

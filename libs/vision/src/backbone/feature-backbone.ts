/**
 * The converted EfficientNet-Lite0 in ONNX Runtime: NCHW float batches in, the 344-channel stride-8 feature grid
 * out. One session per process; batches of any size and any input size divisible by 32.
 *
 * @example
 *   const backbone = await FeatureBackbone.load(requireBackbone(cacheDir), { threads: 2 });
 *   const grid = await backbone.features(batch, [8, 3, 256, 256]); // { data, shape: [8, 344, 32, 32] }
 *   await backbone.dispose();
 */
import { OnnxInferenceSession, type TensorData } from '@vigil/ml';
import { BACKBONE_INPUT } from './efficientnet-lite0.onnx-graph';

export class FeatureBackbone {
  private constructor(private readonly session: OnnxInferenceSession) {}

  static async load(onnxPath: string, options: { threads?: number } = {}): Promise<FeatureBackbone> {
    const session = await OnnxInferenceSession.create(onnxPath, options.threads ? { intraOpNumThreads: options.threads } : {});
    return new FeatureBackbone(session);
  }

  /** All outputs by name (block4, block10, block14, features). */
  async run(images: Float32Array, shape: readonly [number, number, number, number]): Promise<Record<string, TensorData>> {
    return this.session.run({ [BACKBONE_INPUT]: { data: images, shape: [...shape] } });
  }

  async features(images: Float32Array, shape: readonly [number, number, number, number]): Promise<TensorData> {
    const outputs = await this.run(images, shape);
    return outputs.features!;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

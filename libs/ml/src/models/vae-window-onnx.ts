/**
 * `VaeWindowModel.assess` in ONNX Runtime: the time-series VAE's encoder and decoder exported as one graph and
 * served as one session, the scaling and the squared errors in plain arrays as the tfjs path computes them. The
 * detector serves the sensor VAE this way (`npm run bench:ml-runtime`: 0.04 ms against 2.1 ms on tfjs-node
 * per reconstruction at batch 1 for the 1D VAE); sessions only run asynchronously, hence `assessAsync`.
 *
 * @example
 *   const onnx = await OnnxVaeWindowRuntime.create(model);
 *   const { scores, latent, reconstruction } = await onnx.assess({ data, batch, steps, channels });
 */
import { OnnxInferenceSession, type OnnxSessionOptions } from '../onnx/inference-runtime';
import { exportToOnnx } from '../onnx/tfjs-to-onnx';
import { tf } from '../runtime';
import type { VaeWindowModel } from './vae-window-model';
import { WindowShapeError } from './vae-window-model';
import type { WindowAssessment, WindowBatch } from './window-model';

export class OnnxVaeWindowRuntime {
  private constructor(
    private readonly model: VaeWindowModel,
    private readonly session: OnnxInferenceSession,
  ) {}

  /**
   * Encoder and decoder as one graph (window → mean, logVar, decode(mean)): one session run, so one hand-off
   * to ONNX Runtime's thread and back per call. One intra-op thread unless `options` say otherwise: tiny graphs,
   * and a spinning pool would take CPU from the event loop. `options.host: 'worker'` runs it in the ONNX session
   * worker thread (the detector), off the caller's event loop.
   */
  static async create(model: VaeWindowModel, options: OnnxSessionOptions = {}): Promise<OnnxVaeWindowRuntime> {
    const { encoder, decoder } = model.vae;
    const window = tf.input({ shape: [model.steps, model.channels], name: 'window' });
    const [mean, logVar] = encoder.apply(window) as ReturnType<typeof tf.input>[];
    const reconstruction = decoder.apply(mean!) as ReturnType<typeof tf.input>;
    const whole = tf.model({ inputs: window, outputs: [mean!, logVar!, reconstruction], name: 'vae_assess' });
    const session = await OnnxInferenceSession.create(exportToOnnx(whole).model, { intraOpNumThreads: 1, ...options });
    return new OnnxVaeWindowRuntime(model, session);
  }

  async assess(x: WindowBatch): Promise<WindowAssessment> {
    const { steps, channels, latentDim, scaler } = this.model;
    if (x.steps !== steps || x.channels !== channels) throw new WindowShapeError(`model takes [${steps}][${channels}] windows, got [${x.steps}][${x.channels}]`);
    if (x.data.length !== x.batch * steps * channels) throw new WindowShapeError(`data length ${x.data.length} ≠ ${x.batch}×${steps}×${channels}`);
    const input = scaler.transform(x.data);
    const out = await this.session.run({ [this.session.inputNames[0]!]: { data: input, shape: [x.batch, steps, channels] } });
    const [mean, logVar, recon] = this.session.outputNames.map((name) => out[name]!.data) as [Float32Array, Float32Array, Float32Array];
    const size = steps * channels;
    const scores = new Float32Array(x.batch);
    for (let b = 0; b < x.batch; b++) {
      let sum = 0;
      for (let i = b * size; i < (b + 1) * size; i++) {
        const d = input[i]! - recon[i]!;
        sum += d * d;
      }
      scores[b] = sum / size;
    }
    return {
      scores,
      latent: { mean, logVar, batch: x.batch, latentDim },
      reconstruction: { data: scaler.inverse(recon), batch: x.batch, steps, channels },
    };
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }
}

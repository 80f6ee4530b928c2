/**
 * A trained VAE behind the `WindowModel` contract: raw windows in, scaled inside, plain arrays out. Each call is
 * one `tf.tidy` with one `dataSync` per output, since the detector calls it on micro-batches of ~64 windows.
 *
 * Score: mean squared reconstruction error of the deterministic reconstruction decode(encode(x).mean), in
 * standardised units, averaged over steps and channels — comparable across windows, independent of batch.
 *
 * @example
 *   const model = new VaeWindowModel(vae, scaler, ['s2', 's3'], 'cmapss-cnn@v1');
 *   const scores = model.score({ data, batch: 64, steps: 30, channels: 2 });
 *   model.dispose();
 */
import { tf } from '../runtime';
import type { ChannelScaler } from './channel-scaler';
import type { TimeSeriesVae } from './timeseries-vae/timeseries-vae';
import type { LatentBatch, WindowAssessment, WindowBatch, WindowModel } from './window-model';

export class WindowShapeError extends Error {
  override readonly name = 'WindowShapeError';
}

export class VaeWindowModel implements WindowModel {
  readonly steps: number;
  readonly channels: number;
  readonly latentDim: number;
  /** The scaler's per-channel std: explainers weigh raw reconstruction errors by it. */
  readonly channelScale: Float64Array;

  constructor(
    readonly vae: TimeSeriesVae,
    readonly scaler: ChannelScaler,
    readonly channelNames: readonly string[],
    readonly version: string,
  ) {
    this.steps = vae.config.steps;
    this.channels = vae.config.channels;
    this.latentDim = vae.config.latentDim;
    this.channelScale = scaler.std;
    if (scaler.channels !== this.channels) throw new WindowShapeError(`scaler has ${scaler.channels} channels, model ${this.channels}`);
    if (channelNames.length !== this.channels) throw new WindowShapeError(`${channelNames.length} channel names for ${this.channels} channels`);
  }

  encode(x: WindowBatch): LatentBatch {
    const input = this.scaledInput(x);
    const [mean, logVar] = tf.tidy(() => this.vae.encode(tf.tensor3d(input, [x.batch, this.steps, this.channels])));
    try {
      return { mean: mean.dataSync() as Float32Array, logVar: logVar.dataSync() as Float32Array, batch: x.batch, latentDim: this.latentDim };
    } finally {
      tf.dispose([mean, logVar]);
    }
  }

  decode(z: Float32Array, batch: number): WindowBatch {
    if (z.length !== batch * this.latentDim) throw new WindowShapeError(`expected ${batch}×${this.latentDim} latent values, got ${z.length}`);
    const out = tf.tidy(() => this.vae.decode(tf.tensor2d(z, [batch, this.latentDim])));
    try {
      return { data: this.scaler.inverse(out.dataSync() as Float32Array), batch, steps: this.steps, channels: this.channels };
    } finally {
      out.dispose();
    }
  }

  reconstruct(x: WindowBatch): WindowBatch {
    const input = this.scaledInput(x);
    const out = tf.tidy(() => {
      const [mean] = this.vae.encode(tf.tensor3d(input, [x.batch, this.steps, this.channels]));
      return this.vae.decode(mean);
    });
    try {
      return { data: this.scaler.inverse(out.dataSync() as Float32Array), batch: x.batch, steps: this.steps, channels: this.channels };
    } finally {
      out.dispose();
    }
  }

  score(x: WindowBatch): Float32Array {
    const input = this.scaledInput(x);
    const out = tf.tidy(() => {
      const windows = tf.tensor3d(input, [x.batch, this.steps, this.channels]);
      const [mean] = this.vae.encode(windows);
      return tf.mean(tf.squaredDifference(windows, this.vae.decode(mean)), [1, 2]);
    });
    try {
      return out.dataSync() as Float32Array;
    } finally {
      out.dispose();
    }
  }

  assess(x: WindowBatch): WindowAssessment {
    const input = this.scaledInput(x);
    const [scores, mean, logVar, recon] = tf.tidy(() => {
      const windows = tf.tensor3d(input, [x.batch, this.steps, this.channels]);
      const [mu, lv] = this.vae.encode(windows);
      const decoded = this.vae.decode(mu!);
      return [tf.mean(tf.squaredDifference(windows, decoded), [1, 2]), mu!, lv!, decoded];
    });
    try {
      return {
        scores: scores.dataSync() as Float32Array,
        latent: { mean: mean.dataSync() as Float32Array, logVar: logVar.dataSync() as Float32Array, batch: x.batch, latentDim: this.latentDim },
        reconstruction: { data: this.scaler.inverse(recon.dataSync() as Float32Array), batch: x.batch, steps: this.steps, channels: this.channels },
      };
    } finally {
      tf.dispose([scores, mean, logVar, recon]);
    }
  }

  dispose(): void {
    this.vae.dispose();
  }

  private scaledInput(x: WindowBatch): Float32Array {
    if (x.steps !== this.steps || x.channels !== this.channels) {
      throw new WindowShapeError(`model takes [${this.steps}][${this.channels}] windows, got [${x.steps}][${x.channels}]`);
    }
    if (x.data.length !== x.batch * x.steps * x.channels) throw new WindowShapeError(`data length ${x.data.length} ≠ ${x.batch}×${x.steps}×${x.channels}`);
    return this.scaler.transform(x.data);
  }
}

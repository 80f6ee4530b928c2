/**
 * The time-series VAE: an encoder (1D-CNN or Transformer, chosen by config) and a convolutional decoder, kept
 * as two plain `tf.LayersModel`s so each exports on its own; the reparameterisation `z = μ + σ·ε` happens
 * between them in `lossOn`, not in a layer. Works on *normalised* windows; `VaeWindowModel` adds the scaling.
 *
 * An audio VAE is this model over log-mel frames (steps = frames, channels = mel bands): see `audio-vae/`.
 *
 * @example
 *   const vae = TimeSeriesVae.create({ steps: 30, channels: 14, encoder: 'transformer' });
 *   const loss = optimizer.minimize(() => vae.lossOn(x, 1, seed).total, true);
 *   vae.dispose();
 */
import { tf } from '../../runtime';
import { decoder, encoder } from './encoders';
import { resolveTimeSeriesVaeConfig } from './timeseries-vae-config';
import type { TimeSeriesVaeConfig, TimeSeriesVaeConfigInput } from './types';
import { vaeLoss, type VaeLossParts } from './vae-loss';

type Tensor = ReturnType<typeof tf.tensor>;
type LayersModel = ReturnType<typeof tf.model>;

export class TimeSeriesVae {
  private constructor(
    readonly config: TimeSeriesVaeConfig,
    readonly encoder: LayersModel,
    readonly decoder: LayersModel,
  ) {}

  static create(input: TimeSeriesVaeConfigInput): TimeSeriesVae {
    const config = resolveTimeSeriesVaeConfig(input);
    return new TimeSeriesVae(config, encoder(config), decoder(config));
  }

  /** Trainable variables of both halves, in a fixed order (the registry stores weights in this order). */
  get weights(): { name: string; shape: number[]; tensor: Tensor }[] {
    return [...this.encoder.weights, ...this.decoder.weights].map((w) => ({ name: w.originalName, shape: w.shape as number[], tensor: w.read() }));
  }

  setWeights(values: Tensor[]): void {
    const encoderCount = this.encoder.weights.length;
    this.encoder.setWeights(values.slice(0, encoderCount));
    this.decoder.setWeights(values.slice(encoderCount));
  }

  countParams(): number {
    return this.encoder.countParams() + this.decoder.countParams();
  }

  /**
   * Training-mode forward pass and β-VAE loss on a normalised batch `[batch, steps, channels]`. `seed` makes
   * the reparameterisation noise reproducible. Returns scalars the caller disposes.
   */
  lossOn(x: Tensor, beta: number, seed?: number, training = true): VaeLossParts {
    const [total, reconstruction, kl] = tf.tidy(() => {
      const [mean, logVar] = this.encoder.apply(x, { training }) as Tensor[];
      const eps = tf.randomNormal(mean!.shape, 0, 1, 'float32', seed);
      const z = tf.add(mean!, tf.mul(tf.exp(tf.mul(0.5, logVar!)), eps));
      const parts = vaeLoss(x, this.decoder.apply(z, { training }) as Tensor, mean!, logVar!, beta);
      return [parts.total, parts.reconstruction, parts.kl];
    });
    return { total: total!, reconstruction: reconstruction!, kl: kl! };
  }

  /** Inference: posterior `[mean, logVar]` of a normalised batch. Caller disposes. */
  encode(x: Tensor): [Tensor, Tensor] {
    const [mean, logVar] = this.encoder.predict(x) as Tensor[];
    return [mean!, logVar!];
  }

  /** Inference: decoder mean for codes `[batch, latentDim]`. Caller disposes. */
  decode(z: Tensor): Tensor {
    return this.decoder.predict(z) as Tensor;
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
  }
}

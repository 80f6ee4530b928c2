/**
 * The multimodal VAE: per-modality tokenizers, cross-modal attention inside each modality's expert head,
 * Gaussian experts fused by Product- or Mixture-of-Experts, and per-modality decoders — all plain
 * `tf.LayersModel`s (so each part exports to ONNX), wired together here. Works on *normalised* tensors with a
 * presence mask per modality; `MultimodalWindowModel` adds scaling, calibration and the typed window interface.
 *
 * Missing modalities: a window's row of a missing modality may hold anything (zeros by convention). Its mask
 * removes it from the other modalities' attention, from the product/mixture and from the reconstruction terms,
 * so it changes nothing — neither that window's other outputs beyond "one expert fewer", nor other windows.
 *
 * Training (`lossOn`): the sub-sampled ELBO of MVAE — the joint ELBO plus one ELBO per listed subset of
 * modalities (single modalities and pairs), each reconstructing only the modalities it observes — so the
 * single-modality posteriors are trained too. With `fusion: 'moe'` every subset's ELBO is MMVAE's stratified
 * one: a code drawn from each present expert reconstructs every observed modality, weighted by the mixture.
 * Reconstruction is Gaussian with one variance per modality, chosen so every modality weighs like
 * `RECONSTRUCTION_ELEMENTS` elements however large its window (an image would otherwise drown the sensor).
 *
 * @example
 *   const vae = MultimodalVae.create({ fusion: 'poe' });
 *   const loss = vae.lossOn(batch, [['sensor'], ['audio'], ['image']], 1234);
 */
import { tf } from '../../runtime';
import { type GaussianExpert, klToStandardNormal, mixtureWeights, productOfExperts, reparameterise } from './gaussian-experts';
import { attends, contextModalities, expertHead, modalityDecoder, tokenizer } from './modality-networks';
import { resolveMultimodalVaeConfig, tokenCount } from './multimodal-vae-config';
import type { ModalityName, MultimodalVaeConfig, MultimodalVaeConfigInput } from './types';

type Tensor = ReturnType<typeof tf.tensor>;
type LayersModel = ReturnType<typeof tf.model>;

/** Each modality's squared error is averaged over its elements and weighed as this many elements. */
export const RECONSTRUCTION_ELEMENTS = 256;

/** Normalised inputs `[batch, ...shape]` and presence `[batch]` (1 = present, 0 = missing) per modality. */
export interface MultimodalTensorBatch {
  inputs: Record<ModalityName, Tensor>;
  present: Record<ModalityName, Tensor>;
}

export interface MultimodalLossParts {
  total: Tensor;
  reconstruction: Tensor;
  kl: Tensor;
}

/** Per-window results of one inference pass (normalised units). */
export interface MultimodalErrors {
  /** Per-element mean squared error per modality `[batch]`. */
  errors: Record<ModalityName, Tensor>;
  /** Deterministic reconstruction per modality, same shape as its input. */
  reconstructions: Record<ModalityName, Tensor>;
  fusedMean: Tensor;
  fusedLogVar: Tensor;
}

/** Per-window, per-element mean of (x − x̂)² `[batch]`. */
function meanSquaredError(x: Tensor, reconstruction: Tensor): Tensor {
  return tf.mean(tf.squaredDifference(x, reconstruction).reshape([x.shape[0]!, -1]), 1);
}

export class MultimodalVae {
  private constructor(
    readonly config: MultimodalVaeConfig,
    readonly tokenizers: Record<ModalityName, LayersModel>,
    readonly heads: Record<ModalityName, LayersModel>,
    readonly decoders: Record<ModalityName, LayersModel>,
  ) {}

  static create(input: MultimodalVaeConfigInput = {}): MultimodalVae {
    const config = resolveMultimodalVaeConfig(input);
    const build = (f: (c: MultimodalVaeConfig, m: ModalityName) => LayersModel) =>
      Object.fromEntries(config.modalities.map((m) => [m, f(config, m)])) as Record<ModalityName, LayersModel>;
    return new MultimodalVae(config, build(tokenizer), build(expertHead), build(modalityDecoder));
  }

  /** Every part in a fixed order (tokenizers, heads, decoders; modalities in config order). */
  get parts(): LayersModel[] {
    const ms = this.config.modalities;
    return [...ms.map((m) => this.tokenizers[m]), ...ms.map((m) => this.heads[m]), ...ms.map((m) => this.decoders[m])];
  }

  get trainableVariables(): ReturnType<typeof tf.variable>[] {
    return this.parts.flatMap((p) => p.trainableWeights.map((w) => w.read() as ReturnType<typeof tf.variable>));
  }

  /** Copies of the current weight values in `parts` order (the saved weights file follows it); caller disposes. */
  getWeights(): Tensor[] {
    // Copies: tfjs-layers' getWeights() hands out the variables' own tensors, which a dispose would destroy.
    return this.parts.flatMap((p) => p.getWeights().map((w) => w.clone()));
  }

  setWeights(values: Tensor[]): void {
    let offset = 0;
    for (const part of this.parts) {
      const count = part.weights.length;
      part.setWeights(values.slice(offset, offset + count));
      offset += count;
    }
    if (offset !== values.length) throw new Error(`expected ${offset} weight tensors, got ${values.length}`);
  }

  countParams(): number {
    return this.parts.reduce((n, p) => n + p.countParams(), 0);
  }

  /** Gaussian expert of every modality given what is present (presence also masks the attention context). */
  experts(batch: MultimodalTensorBatch, training = false): Record<ModalityName, GaussianExpert> {
    const ms = this.config.modalities;
    const tokens = Object.fromEntries(ms.map((m) => [m, this.tokenizers[m].apply(batch.inputs[m], { training }) as Tensor])) as Record<ModalityName, Tensor>;
    const result = {} as Record<ModalityName, GaussianExpert>;
    for (const m of ms) {
      let head: Tensor[];
      if (attends(this.config, m)) {
        const others = contextModalities(this.config, m);
        const context = tf.concat(others.map((o) => tokens[o]), 1);
        const mask = tf.concat(others.map((o) => tf.tile(batch.present[o].reshape([-1, 1]), [1, tokenCount(this.config, o)])), 1);
        head = this.heads[m].apply([tokens[m], context, mask], { training }) as Tensor[];
      } else {
        head = this.heads[m].apply(tokens[m], { training }) as Tensor[];
      }
      result[m] = { mean: head[0]!, logVar: head[1]! };
    }
    return result;
  }

  /** Per-window, per-element mean squared error of a modality `[batch]`. */
  private squaredError(m: ModalityName, x: Tensor, z: Tensor, training: boolean): Tensor {
    return meanSquaredError(x, this.decoders[m].apply(z, { training }) as Tensor);
  }

  /** Reconstruction term of the observed modalities of `subset` from code z, `[batch]` (others are not decoded). */
  private reconstructionTerm(batch: MultimodalTensorBatch, subset: readonly ModalityName[], observed: Record<ModalityName, Tensor>, z: Tensor, training: boolean): Tensor {
    const terms = subset.map((m) => tf.mul(tf.mul(0.5 * RECONSTRUCTION_ELEMENTS, this.squaredError(m, batch.inputs[m], z, training)), observed[m]));
    return terms.length === 1 ? terms[0]! : tf.addN(terms);
  }

  /** The presence mask restricted to a subset of modalities. */
  private observedIn(batch: MultimodalTensorBatch, subset: readonly ModalityName[]): Record<ModalityName, Tensor> {
    return Object.fromEntries(this.config.modalities.map((m) => [m, subset.includes(m) ? batch.present[m] : tf.zerosLike(batch.present[m])])) as Record<ModalityName, Tensor>;
  }

  /** Negative ELBO of one subset, per window `[batch]`, and whether the window observes anything in it. */
  private subsetLoss(batch: MultimodalTensorBatch, subset: readonly ModalityName[], seed: number, training: boolean): { loss: Tensor; recon: Tensor; kl: Tensor; any: Tensor } {
    const ms = this.config.modalities;
    const observed = this.observedIn(batch, subset);
    const masked: MultimodalTensorBatch = { inputs: batch.inputs, present: observed };
    const experts = this.experts(masked, training);
    const any = tf.minimum(tf.addN(ms.map((m) => observed[m])), 1);
    const beta = this.config.beta;
    if (this.config.fusion === 'poe') {
      const posterior = productOfExperts(ms.map((m) => experts[m]), ms.map((m) => observed[m]));
      const recon = this.reconstructionTerm(batch, subset, observed, reparameterise(posterior, seed), training);
      const kl = klToStandardNormal(posterior);
      return { loss: tf.add(recon, tf.mul(beta, kl)), recon, kl, any };
    }
    const weights = mixtureWeights(ms.map((m) => observed[m]));
    // Experts outside the subset have mixture weight 0: only the subset's experts are decoded.
    const parts = ms.flatMap((m, i) => {
      if (!subset.includes(m)) return [];
      const w = weights.slice([0, i], [-1, 1]).reshape([-1]);
      const recon = tf.mul(w, this.reconstructionTerm(batch, subset, observed, reparameterise(experts[m], seed + i), training));
      const kl = tf.mul(w, klToStandardNormal(experts[m]));
      return [{ recon, kl }];
    });
    const recon = tf.addN(parts.map((p) => p.recon));
    const kl = tf.addN(parts.map((p) => p.kl));
    return { loss: tf.add(recon, tf.mul(beta, kl)), recon, kl, any };
  }

  /**
   * Sub-sampled ELBO: the joint ELBO plus one per subset in `subsets`, averaged over the windows that observe
   * something in each. Returns scalars the caller disposes.
   */
  lossOn(batch: MultimodalTensorBatch, subsets: readonly (readonly ModalityName[])[], seed: number, training = true): MultimodalLossParts {
    const [total, reconstruction, kl] = tf.tidy(() => {
      const all = [this.config.modalities, ...subsets];
      let total: Tensor = tf.scalar(0);
      let recon: Tensor = tf.scalar(0);
      let kl: Tensor = tf.scalar(0);
      all.forEach((subset, i) => {
        const part = this.subsetLoss(batch, subset, seed + 17 * i, training);
        const count = tf.maximum(tf.sum(part.any), 1);
        const average = (t: Tensor) => tf.div(tf.sum(tf.mul(t, part.any)), count);
        total = tf.add(total, average(part.loss));
        recon = tf.add(recon, average(part.recon));
        kl = tf.add(kl, average(part.kl));
      });
      return [total, recon, kl];
    });
    return { total: total!, reconstruction: reconstruction!, kl: kl! };
  }

  /**
   * Inference: each modality's per-element squared error `[batch]` and its reconstruction when decoded from the
   * fused posterior (PoE: its mean; MoE: each present expert's mean, errors and reconstructions averaged with
   * the mixture weights), and the fused posterior (MoE: the mixture's mean, and the log of its per-dimension
   * second moment about it). Missing modalities' outputs are returned as computed; callers ignore them.
   */
  errors(batch: MultimodalTensorBatch): MultimodalErrors {
    return tf.tidy(() => {
      const ms = this.config.modalities;
      const experts = this.experts(batch);
      const decode = (z: Tensor) => Object.fromEntries(ms.map((m) => [m, this.decoders[m].apply(z) as Tensor])) as Record<ModalityName, Tensor>;
      if (this.config.fusion === 'poe') {
        const posterior = productOfExperts(ms.map((m) => experts[m]), ms.map((m) => batch.present[m]));
        const reconstructions = decode(posterior.mean);
        const errors = Object.fromEntries(ms.map((m) => [m, meanSquaredError(batch.inputs[m], reconstructions[m])])) as Record<ModalityName, Tensor>;
        return { errors, reconstructions, fusedMean: posterior.mean, fusedLogVar: posterior.logVar };
      }
      const weights = mixtureWeights(ms.map((m) => batch.present[m]));
      const errors = Object.fromEntries(ms.map((m) => [m, tf.zerosLike(batch.present[m])])) as Record<ModalityName, Tensor>;
      const reconstructions = Object.fromEntries(ms.map((m) => [m, tf.zerosLike(batch.inputs[m])])) as Record<ModalityName, Tensor>;
      let fusedMean: Tensor = tf.zerosLike(experts[ms[0]!].mean);
      let secondMoment: Tensor = tf.zerosLike(fusedMean);
      ms.forEach((m, i) => {
        const w = weights.slice([0, i], [-1, 1]).reshape([-1]);
        const fromExpert = decode(experts[m].mean);
        for (const o of ms) {
          errors[o] = tf.add(errors[o], tf.mul(w, meanSquaredError(batch.inputs[o], fromExpert[o])));
          reconstructions[o] = tf.add(reconstructions[o], tf.mul(w.reshape([-1, ...fromExpert[o].shape.slice(1).map(() => 1)]), fromExpert[o]));
        }
        fusedMean = tf.add(fusedMean, tf.mul(w.reshape([-1, 1]), experts[m].mean));
        secondMoment = tf.add(secondMoment, tf.mul(w.reshape([-1, 1]), tf.add(tf.exp(experts[m].logVar), tf.square(experts[m].mean))));
      });
      const variance = tf.maximum(tf.sub(secondMoment, tf.square(fusedMean)), 1e-8);
      return { errors, reconstructions, fusedMean, fusedLogVar: tf.log(variance) };
    });
  }

  dispose(): void {
    for (const part of this.parts) part.dispose();
  }
}

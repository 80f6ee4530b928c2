/**
 * A clip's anomaly score from where its VAE latent lies, not from how well it is reconstructed: one Gaussian per
 * known machine over the mean latent of that machine's normal clips, and a clip scores its Mahalanobis distance to
 * the nearest machine. Why: machines' normal sounds are not equally easy to reconstruct (on the MIMII pumps the
 * held-out reconstruction error of a quiet machine is 0.41, of a noisy one 0.66), so one threshold on reconstruction
 * error sits inside the noisy machine's normal range and above a quiet machine's early fault. A Mahalanobis
 * distance is in units of each machine's own spread, so one threshold means the same for every machine, and the
 * clip's mean latent (about 90 log-mel contexts in 3 s) averages away the frame-to-frame noise that dominates the
 * reconstruction error. Nearest machine, because a device's sound tells which normal it belongs to: the detector
 * need not know which machine a device is.
 *
 * The covariance gets a ridge of `ridge` × its mean variance: a machine's clips come from seconds of sound, so
 * their latents span fewer independent directions than the latent has.
 *
 * @example
 *   const density = fitLatentDensity([{ name: 'id_00', means: id00Means }, …], 8);   // means: [clips][latentDim]
 *   density.score(clipMean);            // → distance to the nearest machine, in its own standard deviations
 *   await saveLatentDensity(dir, density); const again = await loadLatentDensity(dir);
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { whiteningMatrix } from '@vigil/features';
import { z } from 'zod';

export const LATENT_DENSITY_FILE = 'latent-density.json';
/** The covariance's ridge as a share of its mean variance (1 %: enough to invert, small beside real variances). */
export const DEFAULT_LATENT_RIDGE = 0.01;

export interface LatentComponent {
  /** What the component is the normal of (a machine ID, a recording). */
  name: string;
  mean: Float64Array;
  /** W = L⁻¹ of the ridged covariance, row-major `latentDim × latentDim`, lower triangular. */
  whitening: Float64Array;
  /** Clips the component was fitted on. */
  count: number;
}

export class InvalidLatentDensityError extends Error {
  readonly retriable = false;
}

export class LatentDensity {
  constructor(
    readonly latentDim: number,
    readonly components: readonly LatentComponent[],
  ) {
    if (components.length === 0) throw new InvalidLatentDensityError('a latent density needs at least one component');
    for (const c of components)
      if (c.mean.length !== latentDim || c.whitening.length !== latentDim * latentDim)
        throw new InvalidLatentDensityError(`component ${c.name}: expected a ${latentDim}-dimensional mean and whitening matrix`);
  }

  /** Distance of `latent[offset .. offset + latentDim)` to the nearest component, and which component. */
  nearest(latent: ArrayLike<number>, offset = 0): { distance: number; component: string } {
    const d = this.latentDim;
    let best = Number.POSITIVE_INFINITY;
    let bestName = this.components[0]!.name;
    for (const c of this.components) {
      let squared = 0;
      for (let i = 0; i < d; i++) {
        // (W(x − μ))_i; W is lower triangular, so only k ≤ i contribute.
        let y = 0;
        for (let k = 0; k <= i; k++) y += c.whitening[i * d + k]! * (latent[offset + k]! - c.mean[k]!);
        squared += y * y;
      }
      if (squared < best) [best, bestName] = [squared, c.name];
    }
    return { distance: Math.sqrt(best), component: bestName };
  }

  score(latent: ArrayLike<number>, offset = 0): number {
    return this.nearest(latent, offset).distance;
  }

  toJSON(): LatentDensityJson {
    return {
      kind: 'latent-gaussians',
      latentDim: this.latentDim,
      components: this.components.map((c) => ({ name: c.name, count: c.count, mean: Array.from(c.mean), whitening: Array.from(c.whitening) })),
    };
  }

  static fromJSON(json: unknown): LatentDensity {
    const parsed = latentDensityJson.safeParse(json);
    if (!parsed.success) throw new InvalidLatentDensityError(`not a latent density: ${parsed.error.issues[0]?.message ?? 'malformed'}`);
    const { latentDim, components } = parsed.data;
    return new LatentDensity(
      latentDim,
      components.map((c) => ({ name: c.name, count: c.count, mean: Float64Array.from(c.mean), whitening: Float64Array.from(c.whitening) })),
    );
  }
}

const latentDensityJson = z.object({
  kind: z.literal('latent-gaussians'),
  latentDim: z.number().int().positive(),
  components: z.array(
    z.object({ name: z.string().min(1), count: z.number().int().positive(), mean: z.array(z.number()), whitening: z.array(z.number()) }),
  ),
});
export type LatentDensityJson = z.infer<typeof latentDensityJson>;

/**
 * One Gaussian per group of clip latents (`means`: `[clips][latentDim]` row-major), covariance ridged by
 * `ridge` × its mean variance. A group needs at least two clips.
 */
export function fitLatentDensity(
  groups: readonly { name: string; means: ArrayLike<number> }[],
  latentDim: number,
  ridge = DEFAULT_LATENT_RIDGE,
): LatentDensity {
  const d = latentDim;
  const components = groups.map(({ name, means }): LatentComponent => {
    const n = means.length / d;
    if (!Number.isInteger(n) || n < 2) throw new InvalidLatentDensityError(`group ${name}: need at least two ${d}-dimensional latents, got ${means.length} values`);
    const mean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) mean[i]! += means[r * d + i]! / n;
    const cov = new Float64Array(d * d);
    for (let r = 0; r < n; r++)
      for (let i = 0; i < d; i++) {
        const di = means[r * d + i]! - mean[i]!;
        for (let j = 0; j <= i; j++) cov[i * d + j]! += (di * (means[r * d + j]! - mean[j]!)) / (n - 1);
      }
    let trace = 0;
    for (let i = 0; i < d; i++) {
      trace += cov[i * d + i]!;
      for (let j = 0; j < i; j++) cov[j * d + i] = cov[i * d + j]!;
    }
    // The ridge scales with the group's own variance; the floor keeps a group of identical latents invertible.
    return { name, mean, whitening: whiteningMatrix(cov, d, ridge * (trace / d) + 1e-9), count: n };
  });
  return new LatentDensity(d, components);
}

export async function saveLatentDensity(dir: string, density: LatentDensity): Promise<void> {
  await writeFile(join(dir, LATENT_DENSITY_FILE), `${JSON.stringify(density.toJSON())}\n`);
}

/** The folder's latent density, or undefined when it has none (a model scored by reconstruction error). */
export async function loadLatentDensity(dir: string): Promise<LatentDensity | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, LATENT_DENSITY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return LatentDensity.fromJSON(JSON.parse(text));
  } catch (error) {
    throw new InvalidLatentDensityError(`${join(dir, LATENT_DENSITY_FILE)}: ${(error as Error).message}`);
  }
}

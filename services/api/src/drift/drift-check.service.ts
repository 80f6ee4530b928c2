/**
 * Checks a posted sample of latent vectors against the reference the drift service stored for that model
 * version, with the drift service's own window test (`compareLatentWindows` of @vigil/drift: MMD with a seeded
 * permutation test, per-dimension KS with Benjamini–Hochberg, Wasserstein-1 reported) and, when scores come
 * with it, the score test (`compareScores`: KS + PSI). Nothing is stored: a check never moves a reference.
 */
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { compareLatentWindows, compareScores, pointsFromRows } from '@vigil/drift';
import { DRIFT_REPOSITORY } from '../api.tokens';
import type { DriftRepository } from './drift.repository';
import type { DriftCheckRequest, DriftCheckResult } from './drift.schemas';

/** JSON has no NaN or ∞: a degenerate sample (e.g. all vectors equal) reports 0 / p = 1 instead. */
const finite = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);
const finiteAll = (values: ArrayLike<number>, fallback: number) => Array.from(values, (v) => finite(v, fallback));

@Injectable()
export class DriftCheckService {
  constructor(@Inject(DRIFT_REPOSITORY) private readonly drift: Pick<DriftRepository, 'reference'>) {}

  async check(req: DriftCheckRequest): Promise<DriftCheckResult> {
    const reference = await this.drift.reference(req.modality, req.modelVersion);
    if (!reference) throw new NotFoundException({ error: 'not_found', message: `no drift reference stored for ${req.modality} ${req.modelVersion}` });
    const dim = req.latents[0]!.length;
    if (dim !== reference.dim)
      throw new BadRequestException({
        error: 'validation',
        issues: [{ field: 'latents', reason: `vectors need ${reference.dim} values, the reference's dimension` }],
      });
    const current = pointsFromRows(req.latents);
    const latent = compareLatentWindows({ values: reference.means, count: reference.count, dim }, current, {
      alpha: req.alpha,
      permutations: req.permutations,
      seed: req.seed,
    });
    const scores = req.scores && reference.scores.length > 0 ? compareScores(reference.scores, req.scores, { alpha: req.alpha }) : null;
    return {
      modality: req.modality,
      modelVersion: req.modelVersion,
      reference: { count: reference.count, startMs: reference.startMs, endMs: reference.endMs },
      current: { count: current.count },
      alpha: req.alpha,
      mmd: { statistic: finite(latent.mmd.statistic, 0), pValue: finite(latent.mmd.pValue, 1), method: latent.mmd.method, drifted: latent.mmdDrifted },
      ks: {
        statistics: finiteAll(latent.ks.statistics, 0),
        pValues: finiteAll(latent.ks.pValues, 1),
        adjustedPValues: finiteAll(latent.ks.adjustedPValues, 1),
        minAdjustedPValue: finite(latent.ks.minAdjustedPValue, 1),
        drifted: latent.ksDrifted,
      },
      wasserstein: {
        perDimension: finiteAll(latent.wasserstein.perDimension, 0),
        mean: finite(latent.wasserstein.mean, 0),
        max: finite(latent.wasserstein.max, 0),
      },
      scores: scores && {
        ksStatistic: finite(scores.ks.statistic, 0),
        pValue: finite(scores.ks.pValue, 1),
        psi: finite(scores.psi, 0),
        drifted: scores.drifted,
      },
      drifted: latent.drifted,
    };
  }
}

/**
 * Training runs as the registry holds them: one per window-model version, with its per-epoch losses, its final
 * metrics and, where its evaluation stored score/label pairs, its ROC and PR curves.
 */
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { MODELS_REPOSITORY } from '../api.tokens';
import type { ModelsRepository } from '../models/models.repository';
import { evaluationCurves } from './evaluation-curves';
import { TRAINING_REPOSITORY } from './training.constants';
import type { TrainingRepository } from './training.repository';
import type { TrainingDetail, TrainingRun } from './training.schemas';

type Manifest = Record<string, unknown>;
type Epoch = TrainingDetail['history'][number];

@Injectable()
export class TrainingService {
  constructor(
    @Inject(MODELS_REPOSITORY) private readonly models: Pick<ModelsRepository, 'names' | 'versions'>,
    @Inject(TRAINING_REPOSITORY) private readonly runs: TrainingRepository,
  ) {}

  async list(): Promise<TrainingRun[]> {
    const out: TrainingRun[] = [];
    for (const name of await this.models.names()) {
      const versions = (await this.models.versions(name)).filter((v) => !v.folder);
      for (const v of versions) out.push(await this.summary(name, v.version, v.manifest, v.version === versions.at(-1)?.version));
    }
    return out;
  }

  /** `name` is checked against the registry's own list before it is used as a path. */
  async one(name: string, version: string): Promise<TrainingDetail> {
    const versions = (await this.models.names()).includes(name) ? (await this.models.versions(name)).filter((v) => !v.folder) : [];
    const found = versions.find((v) => v.version === version);
    if (!found) throw new NotFoundException({ error: 'not_found', message: `no training run of "${name}" version ${version} in the registry` });
    const stored = await this.runs.evaluationScores(name, version);
    const run = await this.summary(name, version, found.manifest, version === versions.at(-1)!.version);
    return {
      ...run,
      history: historyOf(found.manifest),
      evaluation: stored ? { split: stored.split, ...evaluationCurves(stored.scores, stored.labels) } : null,
    };
  }

  private async summary(name: string, version: string, manifest: Manifest, live: boolean): Promise<TrainingRun> {
    const training = trainingOf(manifest);
    const metrics = (manifest.metrics ?? (manifest.metadata as Manifest | undefined)?.metrics ?? {}) as Manifest;
    return {
      model: name,
      version,
      live,
      kind: typeof manifest.kind === 'string' ? manifest.kind : null,
      createdAt: typeof manifest.createdAt === 'string' ? manifest.createdAt : null,
      epochs: historyOf(manifest).length,
      bestEpoch: typeof training.bestEpoch === 'number' ? training.bestEpoch : null,
      seconds: typeof training.seconds === 'number' ? training.seconds : null,
      metrics: Object.fromEntries(Object.entries(metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>,
      hasEvaluationCurves: (await this.runs.evaluationScores(name, version)) !== undefined,
    };
  }
}

/** Window models keep `training` at the top; the multimodal model under `metadata`. */
function trainingOf(manifest: Manifest): Manifest {
  return ((manifest.training as Manifest | undefined) ?? ((manifest.metadata as Manifest | undefined)?.training as Manifest | undefined) ?? {}) as Manifest;
}

function historyOf(manifest: Manifest): Epoch[] {
  const history = trainingOf(manifest).history;
  if (!Array.isArray(history)) return [];
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return history.map((h: Manifest, i) => ({
    epoch: typeof h.epoch === 'number' ? h.epoch : i,
    loss: num(h.loss),
    validationLoss: num(h.validationLoss),
    reconstruction: num(h.reconstruction),
    kl: num(h.kl),
  }));
}

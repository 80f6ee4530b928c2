/** Models and versions in the registry: which is live (the newest), its metrics, calibration and card. */
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { MODELS_REPOSITORY } from '../api.tokens';
import type { ModelInfo } from './models.schemas';
import type { ModelsRepository, RegistryVersion } from './models.repository';

@Injectable()
export class ModelsService {
  constructor(@Inject(MODELS_REPOSITORY) private readonly repo: ModelsRepository) {}

  async list(): Promise<Array<Omit<ModelInfo, 'card'>>> {
    const models = await Promise.all((await this.repo.names()).map((name) => this.describe(name)));
    return models.map(({ card: _card, ...rest }) => rest);
  }

  /** `name` is checked against the registry's own list, never used as a path before that. */
  async one(name: string): Promise<ModelInfo> {
    if (!(await this.repo.names()).includes(name)) throw new NotFoundException({ error: 'not_found', message: `no model "${name}" in the registry` });
    return this.describe(name);
  }

  private async describe(name: string): Promise<ModelInfo> {
    const versions = await this.repo.versions(name);
    const live = versions.at(-1)!;
    return {
      name,
      liveVersion: live.version,
      versions: versions.map((v) => describeVersion(v, live.version)),
      card: (await this.repo.card(name, live)) ?? null,
    };
  }
}

function describeVersion({ version, manifest }: RegistryVersion, live: string) {
  // Window models carry `calibration`; vision models a top-level `threshold` and its rule.
  const calibration = (manifest.calibration ?? (typeof manifest.threshold === 'number' ? { method: manifest.thresholdRule, threshold: manifest.threshold } : undefined)) as
    | { method?: unknown; threshold?: unknown }
    | undefined;
  const metrics = Object.fromEntries(Object.entries((manifest.metrics as Record<string, unknown> | undefined) ?? {}).filter(([, v]) => typeof v === 'number' && Number.isFinite(v))) as Record<string, number>;
  return {
    version,
    live: version === live,
    kind: typeof manifest.kind === 'string' ? manifest.kind : null,
    createdAt: typeof manifest.createdAt === 'string' ? manifest.createdAt : null,
    metrics,
    calibration: calibration && typeof calibration.threshold === 'number' ? { method: String(calibration.method), threshold: calibration.threshold } : null,
  };
}

/**
 * The only file that reads the image model from disk (`API_IMAGE_MODEL` under the registry folder, a
 * `manifest.json` model of @vigil/vision), loaded on first use so the API starts without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadVisionModel, type VisionModel } from '@vigil/vision';

export class VisionModelRepository {
  private loading?: Promise<VisionModel>;

  constructor(
    private readonly modelsDir: string,
    private readonly name: string,
    private readonly cacheDir: string,
  ) {}

  get available(): boolean {
    return existsSync(join(this.modelsDir, this.name, 'manifest.json'));
  }

  get modelName(): string {
    return this.name;
  }

  model(): Promise<VisionModel> {
    this.loading ??= loadVisionModel(join(this.modelsDir, this.name), { cacheDir: this.cacheDir, threads: 1 });
    return this.loading;
  }
}

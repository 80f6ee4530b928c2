/**
 * The only file that reads the model registry folder: window models in versions (`models/<name>/v<N>/model.json`,
 * also one group deep, `models/sensor/<name>/v<N>/`) and vision models as one folder (`models/<name>/manifest.json`,
 * its version inside the manifest); cards are `MODEL_CARD.md`. Manifests are read as plain JSON, so models of any
 * kind are listed.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const VERSION = /^v(\d+)$/;

const FOLDER_MANIFEST = 'manifest.json';

export interface RegistryVersion {
  version: string;
  manifest: Record<string, unknown>;
  /** A one-folder model (manifest.json), not a `v<N>` version folder. */
  folder?: boolean;
}

export class ModelsRepository {
  constructor(readonly root: string) {}

  /** Model names (relative paths) holding at least one version, sorted. */
  async names(): Promise<string[]> {
    const found: string[] = [];
    const visit = async (rel: string, depth: number): Promise<void> => {
      const entries = await readdir(join(this.root, rel), { withFileTypes: true }).catch(() => []);
      const dirs = entries.filter((e) => e.isDirectory());
      const versioned = dirs.some((e) => VERSION.test(e.name) && existsSync(join(this.root, rel, e.name, 'model.json')));
      if (rel && (versioned || existsSync(join(this.root, rel, FOLDER_MANIFEST)))) found.push(rel);
      else if (depth < 2) for (const d of dirs) await visit(rel ? `${rel}/${d.name}` : d.name, depth + 1);
    };
    await visit('', 0);
    return found.sort();
  }

  async versions(name: string): Promise<RegistryVersion[]> {
    const dir = join(this.root, name);
    if (existsSync(join(dir, FOLDER_MANIFEST))) {
      const manifest = JSON.parse(await readFile(join(dir, FOLDER_MANIFEST), 'utf8')) as Record<string, unknown>;
      return [{ version: typeof manifest.version === 'string' ? manifest.version : 'current', manifest, folder: true }];
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const versions = entries
      .filter((e) => e.isDirectory() && VERSION.test(e.name) && existsSync(join(dir, e.name, 'model.json')))
      .map((e) => e.name)
      .sort((a, b) => Number(VERSION.exec(a)![1]) - Number(VERSION.exec(b)![1]));
    return Promise.all(versions.map(async (version) => ({ version, manifest: JSON.parse(await readFile(join(dir, version, 'model.json'), 'utf8')) as Record<string, unknown> })));
  }

  async card(name: string, version: RegistryVersion): Promise<string | undefined> {
    const file = version.folder ? join(this.root, name, 'MODEL_CARD.md') : join(this.root, name, version.version, 'MODEL_CARD.md');
    return existsSync(file) ? readFile(file, 'utf8') : undefined;
  }

  reachable(): boolean {
    return existsSync(this.root);
  }
}

/**
 * `ModelVersionRegistry` over our folder registry, shaped so today's hot swap keeps working: the detector
 * serves the newest `<root>/<name>/v<N>` (see services/detector model-watcher), so registering a challenger
 * must not create a `v<N>`. Registered versions go to `<root>/<name>/candidates/c<K>/`; pointing the live
 * alias (`champion`) at one copies it in as the next `v<N>` (manifest version rewritten, `extra.candidate`
 * recording where it came from), which the detector then swaps to. Aliases are kept in
 * `<root>/<name>/aliases.json` (`{ "champion": { "candidate": "c3", "served": "v5" } }`).
 *
 * @example
 *   const registry = new FolderModelVersionRegistry('models/sensor');
 *   const { version } = await registry.register({ name: 'pump-synthetic', modelDir: '/tmp/challenger' }); // 'c4'
 *   await registry.setAlias('pump-synthetic', LIVE_ALIAS, version);   // models/sensor/pump-synthetic/v7
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../registry/model-manifest';
import { ModelRegistry } from '../registry/model-registry';
import { LIVE_ALIAS, type ModelVersionRegistry, type RegisteredModelVersion, type RegisterModelInput, TrackingError } from './experiment-tracker';

const CANDIDATE = /^c(\d+)$/;
const SAFE_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

interface AliasEntry {
  candidate: string;
  served: string | null;
}

export class FolderModelVersionRegistry implements ModelVersionRegistry {
  readonly kind = 'folder';
  private readonly served: ModelRegistry;

  constructor(readonly root: string) {
    this.served = new ModelRegistry(root);
  }

  async register(input: RegisterModelInput): Promise<RegisteredModelVersion> {
    if (!SAFE_NAME.test(input.name)) throw new TrackingError(`model name "${input.name}" must be a plain folder name`, false);
    if (!existsSync(join(input.modelDir, MANIFEST_FILE))) throw new TrackingError(`${input.modelDir} is not a model folder (no ${MANIFEST_FILE})`, false);
    const candidates = join(this.root, input.name, 'candidates');
    await mkdir(candidates, { recursive: true });
    const numbers = (await readdir(candidates))
      .map((n) => CANDIDATE.exec(n)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    const version = `c${numbers.length === 0 ? 1 : Math.max(...numbers) + 1}`;
    const dir = join(candidates, version);
    await cp(input.modelDir, dir, { recursive: true, errorOnExist: true, force: false });
    if (input.tags || input.run)
      await writeFile(join(dir, 'registration.json'), JSON.stringify({ tags: input.tags ?? {}, runId: input.run?.runId ?? null }, null, 1) + '\n');
    return { name: input.name, version, source: dir };
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const source = join(this.root, name, 'candidates', version);
    if (!existsSync(join(source, MANIFEST_FILE))) throw new TrackingError(`no candidate ${version} of "${name}" under ${this.root}`, false);
    const aliases = await this.aliases(name);
    aliases[alias] = { candidate: version, served: alias === LIVE_ALIAS ? await this.serve(name, source, version) : null };
    await writeFile(join(this.root, name, 'aliases.json'), JSON.stringify(aliases, null, 1) + '\n');
  }

  async getByAlias(name: string, alias: string): Promise<RegisteredModelVersion | null> {
    const entry = (await this.aliases(name))[alias];
    if (!entry) return null;
    return {
      name,
      version: entry.candidate,
      source: entry.served ? join(this.root, name, entry.served) : join(this.root, name, 'candidates', entry.candidate),
    };
  }

  /** The tags given at registration (e.g. the MLflow version it mirrors). */
  async tagsOf(name: string, version: string): Promise<Record<string, string>> {
    const file = join(this.root, name, 'candidates', version, 'registration.json');
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as { tags: Record<string, string> }).tags : {};
  }

  /** Copies the candidate in as the next served version; returns its `v<N>`. */
  private async serve(name: string, source: string, candidate: string): Promise<string> {
    const versions = await this.served.versions(name);
    const next = `v${versions.length === 0 ? 1 : Number(versions.at(-1)!.slice(1)) + 1}`;
    const staging = join(this.root, name, `.${next}.partial`);
    await cp(source, staging, { recursive: true });
    const manifest = JSON.parse(await readFile(join(staging, MANIFEST_FILE), 'utf8')) as { version: string; extra?: Record<string, unknown> };
    manifest.version = next;
    manifest.extra = { ...manifest.extra, candidate };
    await writeFile(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
    // Rename last, so the detector's poll never sees a half-copied version folder.
    await rename(staging, join(this.root, name, next));
    return next;
  }

  private async aliases(name: string): Promise<Record<string, AliasEntry>> {
    const file = join(this.root, name, 'aliases.json');
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, AliasEntry>) : {};
  }
}

/**
 * Where the real data sets live. One place decides it so loaders, tests and scripts agree:
 * `VIGIL_DATA_DIR` when set, else `<repo root>/../shared/data` — resolved from the repository root rather
 * than the working directory, so `npx vitest` run from any folder finds the same files.
 *
 * @example
 *   const dir = resolveDataDir();                       // the process environment, through @vigil/config
 *   const cmapss = path.join(dir, 'cmapss');
 *   const inTests = hasDataDir('cmapss');               // for describe.skipIf(!inTests)
 */
import { processEnv } from '@vigil/config';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** `libs/datasets/src` → repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

export const DEFAULT_DATA_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'data');

/** The data directory: `env.VIGIL_DATA_DIR` (relative values resolve against the repo root) or the default. */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>> = processEnv()): string {
  const configured = env.VIGIL_DATA_DIR?.trim();
  return configured ? path.resolve(REPO_ROOT, configured) : DEFAULT_DATA_DIR;
}

/** True when `<data dir>/<subfolder>` exists; tests use it to skip with a message instead of failing. */
export function hasDataDir(subfolder = '', env?: Readonly<Record<string, string | undefined>>): boolean {
  return existsSync(path.join(resolveDataDir(env), subfolder));
}

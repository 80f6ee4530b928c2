import { processEnv } from '@vigil/config';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Downloads (jars, archives) are cached per user under ~/.cache/vigil so clones share them;
 * runtime state (data dirs, logs, pid files) lives in the clone's `.infra/` so `down` and `status`
 * only ever touch what this clone started.
 */
export interface InfraPaths {
  cacheDir: string;
  stateDir: string;
}

export function infraPaths(env: NodeJS.ProcessEnv = processEnv()): InfraPaths {
  const cacheRoot = env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return {
    cacheDir: resolve(env.VIGIL_CACHE_DIR ?? join(cacheRoot, 'vigil')),
    stateDir: resolve(env.VIGIL_STATE_DIR ?? join(__dirname, '..', '..', '..', '.infra')),
  };
}

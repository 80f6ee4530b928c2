/**
 * Provisions MLflow (from PyPI, into a venv cached under ~/.cache/vigil) without starting it, so the set-up
 * pays the large one-time install and the tests that start an MLflow server only start it.
 *
 *   npx tsx libs/infra/src/provision-mlflow.ts
 */
import { join } from 'node:path';
import { mlflowComponent } from './mlflow';
import { infraPaths } from './paths';

const { cacheDir, stateDir } = infraPaths();
mlflowComponent(cacheDir, join(stateDir, 'provision-only'))
  .provision()
  .then(
    ({ cached }) => console.log(`[mlflow] ${cached ? 'cached' : 'installed'} under ${cacheDir}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );

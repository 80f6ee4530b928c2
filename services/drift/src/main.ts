/**
 * The drift service process: config → the Nest app (drift.app.ts).
 *
 *   npx tsx services/drift/src/main.ts        # env: see config/drift.config.ts
 */
import { createServiceLogger, runProcess } from '@vigil/service';
import { loadDriftConfig } from './config/drift.config';

const cfg = loadDriftConfig();
const logger = createServiceLogger({ service: 'drift', level: cfg.VIGIL_LOG_LEVEL });

runProcess(logger, async () => {
  const { startDrift } = await import('./drift.app');
  const app = await startDrift(cfg, logger);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return `ready: ${url}/metrics, ${url}/health/ready`;
});

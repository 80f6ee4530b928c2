/**
 * The API process: config → ML backend → the Nest app (api.app.ts).
 *
 *   npx tsx services/api/src/main.ts        # env: see config/api.config.ts
 *
 * The ML backend is chosen before anything imports model code (see @vigil/ml/backend-choice), so the app
 * module is loaded after the choice.
 */
import { chooseMlBackend } from '@vigil/ml/backend-choice';
import { createServiceLogger, runProcess } from '@vigil/service';
import { loadApiConfig } from './config/api.config';

const cfg = loadApiConfig();
const logger = createServiceLogger({ service: 'api', level: cfg.VIGIL_LOG_LEVEL });
chooseMlBackend(cfg.ML_BACKEND);

runProcess(logger, async () => {
  const { startApi } = await import('./api.app');
  const app = await startApi(cfg, logger);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('0.0.0.0', '127.0.0.1');
  return `ready: ${url}/v1, ${url}/docs, ${url}/health/ready, live Socket.IO on the same port`;
});

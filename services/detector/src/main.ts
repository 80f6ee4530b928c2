/**
 * The detector process: config → ML backend → the Nest app (detector.app.ts).
 *
 *   npx tsx services/detector/src/main.ts        # env: see config/detector.config.ts
 *
 * The ML backend is chosen before anything imports model code (see @vigil/ml/backend-choice), so the app
 * module is loaded after the choice.
 */
import { chooseMlBackend } from '@vigil/ml/backend-choice';
import { createServiceLogger, runProcess } from '@vigil/service';
import { loadDetectorConfig } from './config/detector.config';

const cfg = loadDetectorConfig();
const logger = createServiceLogger({ service: 'detector', level: cfg.VIGIL_LOG_LEVEL });
chooseMlBackend(cfg.ML_BACKEND);

runProcess(logger, async () => {
  const { startDetector } = await import('./detector.app');
  const app = await startDetector(cfg, logger);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return `ready: ${url}/metrics, ${url}/health/ready`;
});

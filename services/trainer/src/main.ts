/**
 * The trainer process: config → the Nest app (trainer.app.ts).
 *
 *   npx tsx services/trainer/src/main.ts        # env: see config/trainer.config.ts
 */
import { createServiceLogger, runProcess } from '@vigil/service';
import { loadTrainerConfig } from './config/trainer.config';

const cfg = loadTrainerConfig();
const logger = createServiceLogger({ service: 'trainer', level: cfg.VIGIL_LOG_LEVEL });

runProcess(logger, async () => {
  const { startTrainer } = await import('./trainer.app');
  const app = await startTrainer(cfg, logger);
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return `ready: ${url}/retrain, ${url}/metrics, ${url}/health/ready`;
});

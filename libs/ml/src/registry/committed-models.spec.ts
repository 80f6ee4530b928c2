import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT } from './model-manifest';
import { loadWindowModel } from './model-registry';

/**
 * The trained window models committed under models/ must keep loading as the code evolves. (Other families — the
 * multimodal VAE, vision models — have their own manifest format and their own load specs.)
 */
const MODELS_DIR = path.resolve(__dirname, '..', '..', '..', '..', 'models');
const committed = readdirSync(MODELS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .flatMap((e) =>
    readdirSync(path.join(MODELS_DIR, e.name), { withFileTypes: true })
      .filter((v) => v.isDirectory() && /^v\d+$/.test(v.name))
      .map((v) => path.join(e.name, v.name)),
  )
  .filter((dir) => readdirSync(path.join(MODELS_DIR, dir)).includes('model.json'))
  .filter((dir) => (JSON.parse(readFileSync(path.join(MODELS_DIR, dir, 'model.json'), 'utf8')) as { format?: string }).format === MANIFEST_FORMAT);

describe.each(committed)('committed model %s', (dir) => {
  it('loads, scores the training mean far below its threshold, and keeps its evaluated ROC-AUC', async () => {
    const { model, manifest } = await loadWindowModel(path.join(MODELS_DIR, dir));
    const window = new Float32Array(model.steps * model.channels).map((_, i) => manifest.scaler.mean[i % model.channels]!);
    const [score] = model.score({ data: window, batch: 1, steps: model.steps, channels: model.channels });
    expect(Number.isFinite(score)).toBe(true);
    // The mean window is the most typical input there is: far below the anomaly threshold.
    expect(score).toBeLessThan(manifest.calibration!.threshold / 10);
    // Evaluated models carry their headline figure; the cards and models/README quote it.
    const auc = manifest.metrics.testRocAuc ?? manifest.metrics.rocAuc;
    if (auc !== undefined) expect(auc).toBeGreaterThanOrEqual(0.9);
    model.dispose();
  });
});

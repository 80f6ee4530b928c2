import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadWindowModel, ModelRegistry } from '../registry/model-registry';
import { FolderModelVersionRegistry } from '../tracking/folder-model-version-registry';
import { LIVE_ALIAS } from '../tracking/experiment-tracker';
import { LocalRunTracker, readLocalRun } from '../tracking/local-run-tracker';
import { sineWindows, TINY_FIT, TINY_MANIFEST } from '../tracking/tracking.test-helpers';
import { scoreWindows } from './fit-window-vae';
import { trainAndRegister, TrainingCancelledError } from './train-and-register';

describe('trainAndRegister with the local run folder and the folder registry', () => {
  let root: string;
  let tracker: LocalRunTracker;
  let registry: FolderModelVersionRegistry;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'vigil-train-'));
    tracker = new LocalRunTracker(join(root, 'runs'));
    registry = new FolderModelVersionRegistry(join(root, 'models'));
  });

  const train = (extra: Partial<Parameters<typeof trainAndRegister>[0]> = {}) =>
    trainAndRegister({
      name: 'sines',
      fit: { ...TINY_FIT, windows: sineWindows(1, 96) },
      manifest: TINY_MANIFEST,
      tracker,
      registry,
      workDir: join(root, 'work'),
      evaluate: (model) => {
        const scores = scoreWindows(model, sineWindows(2, 32));
        return {
          metrics: { heldOutMeanScore: scores.reduce((a, b) => a + b, 0) / scores.length },
          files: { 'calibration.json': JSON.stringify({ scores: Array.from(scores) }) },
        };
      },
      ...extra,
    });

  it('tracks params, per-epoch losses, metrics and the manifest, and registers a candidate the detector does not serve yet', async () => {
    const epochsSeen: number[] = [];
    const outcome = await train({ onEpoch: (log) => epochsSeen.push(log.epoch) });
    expect(epochsSeen).toEqual([0, 1, 2]);
    const { record, params, metrics } = await readLocalRun(join(root, 'runs', 'sines', outcome.run.runId));
    expect(record).toMatchObject({ status: 'FINISHED', tags: { 'vigil.model': 'sines', 'vigil.registeredVersion': 'c1' } });
    expect(params).toMatchObject({ epochs: '3', batchSize: '32', 'model.latentDim': '2', windows: '96' });
    expect(metrics.filter((m) => m.key === 'loss').map((m) => m.step)).toEqual([0, 1, 2]);
    expect(metrics.find((m) => m.key === 'heldOutMeanScore')!.value).toBeCloseTo(outcome.metrics.heldOutMeanScore!, 12);
    expect(existsSync(join(root, 'runs', 'sines', outcome.run.runId, 'artifacts', 'model.json'))).toBe(true);
    expect(outcome.version).toMatchObject({ name: 'sines', version: 'c1' });
    expect(existsSync(join(outcome.version.source, 'calibration.json'))).toBe(true);
    expect(await new ModelRegistry(join(root, 'models')).versions('sines')).toEqual([]);
    outcome.fitted.model.vae.dispose();
  });

  it('promotion copies the candidate in as the next served version, which loads and scores like the trained model', async () => {
    const first = await train({ promote: true });
    const second = await train();
    await registry.setAlias('sines', LIVE_ALIAS, second.version.version);
    const served = new ModelRegistry(join(root, 'models'));
    expect(await served.versions('sines')).toEqual(['v1', 'v2']);
    expect(await registry.getByAlias('sines', LIVE_ALIAS)).toEqual({ name: 'sines', version: 'c2', source: join(root, 'models', 'sines', 'v2') });
    const { model, manifest } = await loadWindowModel(await served.latest('sines'));
    expect(manifest).toMatchObject({ version: 'v2', extra: { candidate: 'c2', runId: second.run.runId } });
    const windows = sineWindows(5, 8);
    expect(Array.from(scoreWindows(model, windows))).toEqual(Array.from(scoreWindows(second.fitted.model, windows)));
    [model, first.fitted.model, second.fitted.model].forEach((m) => m.vae.dispose());
  });

  it('a cancelled run ends KILLED and registers nothing', async () => {
    let epochs = 0;
    await expect(train({ shouldCancel: () => ++epochs >= 2 })).rejects.toBeInstanceOf(TrainingCancelledError);
    const [runId] = await readdir(join(root, 'runs', 'sines'));
    expect((await readLocalRun(join(root, 'runs', 'sines', runId!))).record.status).toBe('KILLED');
    expect(existsSync(join(root, 'models', 'sines', 'candidates'))).toBe(false);
  });

  it('refuses to alias a candidate that does not exist', async () => {
    await expect(registry.setAlias('sines', LIVE_ALIAS, 'c9')).rejects.toThrow(/no candidate c9/);
  });
});

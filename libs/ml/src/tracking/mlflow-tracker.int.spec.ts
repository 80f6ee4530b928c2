/**
 * Against a real MLflow server from PyPI (provisioned into ~/.cache/vigil and started on loopback by
 * libs/infra's mlflowComponent, with a throw-away state folder): trainAndRegister logs the run, per-epoch
 * losses, metrics and artifacts, registers the version in MLflow's registry and in the folder registry, and the
 * live alias lands on both.
 */
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { down, infraPaths, up } from '@vigil/infra';
import { mlflowComponent, mlflowTrackingUri } from '@vigil/infra';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainAndRegister } from '../training/train-and-register';
import { createTracking, type MlflowMirroredRegistry } from './create-tracking';
import { LIVE_ALIAS } from './experiment-tracker';
import { MlflowRestClient } from './mlflow-rest-client';
import { sineWindows, TINY_FIT, TINY_MANIFEST } from './tracking.test-helpers';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('MLflow tracking and registry (real server)', () => {
  let component: ReturnType<typeof mlflowComponent>;
  let trackingUri: string;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'vigil-mlflow-'));
    const port = await freePort();
    component = mlflowComponent(infraPaths().cacheDir, join(root, 'state'), port);
    await up([component]);
    trackingUri = mlflowTrackingUri(port);
  });

  afterAll(async () => {
    if (component) await down([component]);
  });

  it('trainAndRegister logs the run to MLflow and promotes through its alias', async () => {
    const { tracker, registry } = createTracking({ trackingUri, localRunsDir: join(root, 'runs'), registryRoot: join(root, 'models') });
    const outcome = await trainAndRegister({
      name: 'sines',
      fit: { ...TINY_FIT, windows: sineWindows(1, 96) },
      manifest: TINY_MANIFEST,
      tracker,
      registry,
      workDir: join(root, 'work'),
      evaluate: () => ({ metrics: { heldOutAuc: 0.9 } }),
      promote: true,
    });
    outcome.fitted.model.vae.dispose();
    const client = new MlflowRestClient(trackingUri);

    const { run } = await client.get<{
      run: { info: { status: string }; data: { params: { key: string; value: string }[]; tags: { key: string; value: string }[] } };
    }>('mlflow/runs/get', { run_id: outcome.run.runId });
    expect(run.info.status).toBe('FINISHED');
    expect(run.data.params).toContainEqual({ key: 'epochs', value: '3' });
    expect(run.data.tags).toContainEqual({ key: 'vigil.registeredVersion', value: 'c1' });

    const history = await client.get<{ metrics: { step: number; value: number }[] }>('mlflow/metrics/get-history', {
      run_id: outcome.run.runId,
      metric_key: 'loss',
    });
    expect(history.metrics.map((m) => m.step).sort()).toEqual([0, 1, 2]);
    const auc = await client.get<{ metrics: { value: number }[] }>('mlflow/metrics/get-history', { run_id: outcome.run.runId, metric_key: 'heldOutAuc' });
    expect(auc.metrics[0]!.value).toBe(0.9);

    const artifacts = await client.get<{ files?: { path: string }[] }>('mlflow/artifacts/list', { run_id: outcome.run.runId, path: 'model' });
    expect(artifacts.files?.map((f) => f.path).sort()).toEqual(['model/model.json', 'model/weights.bin']);

    const mirrored = registry as MlflowMirroredRegistry;
    const live = await mirrored.mlflow.getByAlias('sines', LIVE_ALIAS);
    expect(live).toMatchObject({ name: 'sines', version: '1' });
    expect(live!.source).toMatch(/\/model$/);
    expect(await mirrored.folder.getByAlias('sines', LIVE_ALIAS)).toMatchObject({ version: 'c1', source: join(root, 'models', 'sines', 'v1') });
    expect(await mirrored.mlflow.getByAlias('sines', 'no-such-alias')).toBeNull();
  });
});

import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { alignedWindow, parseDeviceRoutes, slotOf } from '@vigil/detection';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { ModelHolder, prepareServingModel } from './model-holder';
import { ModelWatcher } from './model-watcher';
import { loadRouteScorers } from './route-models.loader';
import { loadSensorModel, resolveModelDir, sensorScorer } from './sensor-model.loader';

const MODELS = resolve(__dirname, '..', '..', '..', '..', 'models');
const registryRoot = mkdtempSync(join(tmpdir(), 'vigil-watcher-'));
afterAll(() => rmSync(registryRoot, { recursive: true, force: true }));

describe('ModelWatcher', () => {
  it('swaps in a newer version of a device route’s registry folder under the same slot, keeps the rest, and skips a broken version', async () => {
    const engines = join(registryRoot, 'engines');
    cpSync(join(MODELS, 'cmapss-fd001-cnn', 'v1'), join(engines, 'v1'), { recursive: true });
    const cfg = parseDetectorConfig({ DETECTOR_DEVICE_ROUTES: `engines:cmapss-*=${engines}`, DETECTOR_INFERENCE_RUNTIME: 'tfjs' });
    const metrics = new DetectorMetrics(new Registry());
    const pumpDir = await resolveModelDir(join(MODELS, 'sensor', 'pump-synthetic'));
    const pump = sensorScorer(await loadSensorModel(pumpDir, 'tfjs'), pumpDir);
    const holder = new ModelHolder(prepareServingModel([pump, ...(await loadRouteScorers(parseDeviceRoutes(cfg.DETECTOR_DEVICE_ROUTES), cfg))], cfg, metrics));
    const watcher = new ModelWatcher(cfg, holder, metrics);
    const sourceOf = (slot: string) => holder.current.scorers.find((s) => slotOf(s.scorer) === slot)?.source;

    expect(await watcher.check()).toBe(false);
    expect(sourceOf('SENSOR@engines')).toBe(join(engines, 'v1'));

    cpSync(join(engines, 'v1'), join(engines, 'v2'), { recursive: true });
    const before = holder.current;
    expect(await watcher.check()).toBe(true);
    expect(holder.current).not.toBe(before);
    expect(sourceOf('SENSOR@engines')).toBe(join(engines, 'v2'));
    expect(sourceOf('SENSOR')).toBe(pumpDir); // the default model has no registry here: left as it is
    const engine = holder.current.scorers.find((s) => slotOf(s.scorer) === 'SENSOR@engines')!;
    const window = (deviceId: string) => alignedWindow(deviceId, 0, 3000);
    expect(engine.route?.name).toBe('engines');
    expect(engine.scorer.frame(window('dev-0001'))).toBeUndefined(); // still serves the route's devices only

    mkdirSync(join(engines, 'v3'));
    writeFileSync(join(engines, 'v3', 'model.json'), '{ not json');
    expect(await watcher.check()).toBe(false);
    expect(sourceOf('SENSOR@engines')).toBe(join(engines, 'v2'));
    for (const s of holder.current.scorers) s.scorer.model.dispose?.();
  });
});

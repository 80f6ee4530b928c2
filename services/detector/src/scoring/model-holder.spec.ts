import type { ModalityScorer } from '@vigil/detection';
import { alignedWindow, parseDeviceRoutes, slotOf } from '@vigil/detection';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseDetectorConfig } from '../config/detector.config';
import { DetectorMetrics } from '../observability/metrics';
import { prepareServingModel } from './model-holder';

const window = (deviceId: string) => alignedWindow(deviceId, 0, 3000);

function fakeScorer(version: string): ModalityScorer {
  return { modality: 'SENSOR', model: { version } as ModalityScorer['model'], frame: () => ({ window: Float32Array.of(1) }), explain: () => [] };
}

const normalScores = (level: number) => Array.from({ length: 500 }, (_, i) => level * (1 + 0.2 * Math.sin(i)));

describe('prepareServingModel with a device route', () => {
  it('serves routed devices by the route’s model under its own slot and thresholds, every other device by the default', () => {
    const [engines] = parseDeviceRoutes('engines:cmapss-*=models/cmapss');
    const serving = prepareServingModel(
      [
        { scorer: fakeScorer('pump@v1'), source: 'pump', calibrationScores: normalScores(0.02) },
        { scorer: fakeScorer('cmapss@v1'), source: 'cmapss', calibrationScores: normalScores(0.5), route: engines },
      ],
      parseDetectorConfig({}),
      new DetectorMetrics(new Registry()),
    );
    const [pump, engine] = serving.scorers.map((s) => s.scorer);
    expect([slotOf(pump!), slotOf(engine!)]).toEqual(['SENSOR', 'SENSOR@engines']);
    expect(pump!.frame(window('dev-0001'))).toBeDefined();
    expect(pump!.frame(window('cmapss-u001'))).toBeUndefined();
    expect(engine!.frame(window('cmapss-u001'))).toBeDefined();
    expect(engine!.frame(window('dev-0001'))).toBeUndefined();
    // Each slot's SPOT starts from its own model's calibration: a score normal for an engine is far over a pump's threshold.
    expect(serving.thresholds.peek('cmapss-u001', 'SENSOR@engines', 0.5).isAnomaly).toBe(false);
    expect(serving.thresholds.peek('dev-0001', 'SENSOR', 0.5).isAnomaly).toBe(true);
    expect(serving.registry.get('SENSOR@engines')).toBe(engine);
  });
});

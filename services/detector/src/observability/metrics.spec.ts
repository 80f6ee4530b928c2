import { DETECTOR_METRICS } from '@vigil/contracts';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { DetectorMetrics, DEVICE_LABEL_LIMIT, OTHER_DEVICES } from './metrics';

type Sample = { labels: Record<string, string>; value: number };

async function deviceSamples(metrics: DetectorMetrics): Promise<Sample[]> {
  const metric = metrics.registry.getSingleMetric(DETECTOR_METRICS.deviceWindows)!;
  return (await metric.get()).values as Sample[];
}

describe('DetectorMetrics.deviceScored', () => {
  it('counts windows per device, modality and verdict', async () => {
    const metrics = new DetectorMetrics(new Registry());
    metrics.deviceScored('dev-1', 'SENSOR', true);
    metrics.deviceScored('dev-1', 'SENSOR', false);
    metrics.deviceScored('dev-1', 'SENSOR', false);
    metrics.deviceScored('dev-2', 'AUDIO', true);
    expect(await deviceSamples(metrics)).toEqual([
      { labels: { device: 'dev-1', modality: 'SENSOR', anomalous: 'true' }, value: 1 },
      { labels: { device: 'dev-1', modality: 'SENSOR', anomalous: 'false' }, value: 2 },
      { labels: { device: 'dev-2', modality: 'AUDIO', anomalous: 'true' }, value: 1 },
    ]);
  });

  it(`labels at most ${DEVICE_LABEL_LIMIT} devices; later ones count under ${OTHER_DEVICES}, earlier ones keep their label`, async () => {
    const metrics = new DetectorMetrics(new Registry());
    for (let i = 0; i < DEVICE_LABEL_LIMIT + 50; i++) metrics.deviceScored(`dev-${i}`, 'SENSOR', false);
    metrics.deviceScored('dev-0', 'SENSOR', false);
    const samples = await deviceSamples(metrics);
    expect(new Set(samples.map((s) => s.labels.device)).size).toBe(DEVICE_LABEL_LIMIT + 1);
    expect(samples.find((s) => s.labels.device === OTHER_DEVICES)?.value).toBe(50);
    expect(samples.find((s) => s.labels.device === 'dev-0')?.value).toBe(2);
  });
});

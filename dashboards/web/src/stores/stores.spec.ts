import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { watchEffect } from 'vue';
import type { Feedback } from '../api/types';
import { liveResult } from '../lib/test-results';
import { useEventsStore } from './events';
import { RESULTS_PER_DEVICE, useFleetStore } from './fleet';

beforeEach(() => setActivePinia(createPinia()));

describe('fleet store', () => {
  it('keeps the newest window per device, a bounded history, and the pipeline delay', () => {
    const fleet = useFleetStore();
    const batch = Array.from({ length: RESULTS_PER_DEVICE + 10 }, (_, i) => liveResult({ windowStartMs: 1000 * i }));
    fleet.applyResults(batch, batch.at(-1)!.windowEndMs + 250);
    fleet.applyResults([liveResult({ windowStartMs: 5, deviceId: 'dev-0002' })], 10_000);
    expect(fleet.deviceHistory('dev-0001')).toHaveLength(RESULTS_PER_DEVICE);
    expect(fleet.deviceHistory('dev-0001')[0]!.windowStartMs).toBe(10_000);
    expect(fleet.latest.get('dev-0001')!.windowStartMs).toBe(1000 * (RESULTS_PER_DEVICE + 9));
    expect(fleet.deviceIds).toEqual(['dev-0001', 'dev-0002']);
    expect(fleet.resultsReceived).toBe(RESULTS_PER_DEVICE + 11);
    expect(fleet.pipelineDelayMs).toBe(10_000 - 3005);
  });

  it('does not let an older snapshot window replace a newer live one', () => {
    const fleet = useFleetStore();
    fleet.applyResults([liveResult({ windowStartMs: 9000 })], 20_000);
    fleet.applySnapshot({ 'dev-0001': [liveResult({ windowStartMs: 2000 }), liveResult({ windowStartMs: 1000 })] });
    expect(fleet.latest.get('dev-0001')!.windowStartMs).toBe(9000);
    expect(fleet.deviceHistory('dev-0001').map((r) => r.windowStartMs)).toEqual([9000, 1000, 2000]);
  });

  it('brings devices up to date from the fleet telemetry when their (volatile) results were missed', () => {
    const fleet = useFleetStore();
    fleet.applyResults([liveResult({ windowStartMs: 1000, deviceId: 'dev-0001' })], 5000);
    const device = (deviceId: string, lastWindowEndMs: number, anomalies = 0) => ({
      deviceId,
      windows: 4,
      anomalies,
      lastScore: 2,
      maxScore: 3,
      threshold: 1.5,
      lastWindowEndMs,
    });
    fleet.applyTelemetry([{ tickEndMs: 9000, devices: [device('dev-0001', 8000, 1), device('dev-0002', 8000), device('dev-0003', 2000)] }]);
    expect(fleet.deviceIds).toEqual(['dev-0001', 'dev-0002', 'dev-0003']);
    const first = fleet.latest.get('dev-0001')!;
    expect(first).toMatchObject({ windowEndMs: 8000, windowStartMs: 5000, fusedScore: 2, fusedThreshold: 1.5, isAnomaly: true });
    // An aggregate older than the device's newest known window changes nothing.
    fleet.applyTelemetry([{ tickEndMs: 9500, devices: [device('dev-0001', 7000)] }]);
    expect(fleet.latest.get('dev-0001')!.windowEndMs).toBe(8000);
  });

  it('notifies watchers once per applied batch, not once per result', async () => {
    const fleet = useFleetStore();
    let notified = -1; // the first run is the effect's own
    watchEffect(() => void ((notified += 1), fleet.latest), { flush: 'sync' });
    fleet.applyResults([liveResult({ windowStartMs: 1 }), liveResult({ windowStartMs: 2 }), liveResult({ windowStartMs: 3 })], 5000);
    expect(notified).toBe(1);
  });
});

describe('events store', () => {
  it('shows an event heard over REST and live once', () => {
    const events = useEventsStore();
    const alert = { result: liveResult({ isAnomaly: true }), receivedAtMs: 1 };
    events.applyAlerts([alert, alert]);
    events.applyAlerts([{ ...alert, receivedAtMs: 2 }]);
    expect(events.alerts.toArray()).toHaveLength(1);
    const fb = { feedbackId: 'f1', createdAtMs: 1 } as Feedback;
    events.applyFeedback([fb]);
    events.applyFeedback([fb]);
    expect(events.feedback.size).toBe(1);
  });
});

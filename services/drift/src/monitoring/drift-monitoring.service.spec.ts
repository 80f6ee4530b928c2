import type { AnomalyResult, DriftEvent, LatentVector, RetrainRequest } from '@vigil/contracts';
import type { ReferenceWindow } from '@vigil/drift';
import { seededRandom } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import type { Clock, DriftOutbox, DriftStore } from './drift-ports';
import type { DriftRow } from './drift-rows';
import { DriftMonitoringService, type MonitoringObserver, type MonitoringSettings } from './drift-monitoring.service';

const settings: MonitoringSettings = {
  referenceSize: 100,
  windowSize: 50,
  hop: 50,
  alpha: 0.05,
  psiThreshold: 0.1,
  permutations: 99,
  policy: { persistenceWindows: 3, quietWindowsToClose: 2, cooldownMs: 0, minNormalSamples: 100, falseAlarmsToTrigger: 3, retrainTimeoutMs: 3_600_000 },
};

class Fakes implements DriftStore, DriftOutbox, Clock, MonitoringObserver {
  rows: DriftRow[] = [];
  references = new Map<string, ReferenceWindow>();
  events: DriftEvent[] = [];
  requests: RetrainRequest[] = [];
  blocked: string[] = [];
  private ids = 0;
  async saveRows(rows: DriftRow[]) {
    this.rows.push(...rows);
  }
  async loadReference(modality: string, modelVersion: string) {
    return this.references.get(`${modality}|${modelVersion}`) ?? null;
  }
  async saveReference(modality: string, reference: ReferenceWindow) {
    this.references.set(`${modality}|${reference.modelVersion}`, reference);
  }
  async publishDriftEvents(events: DriftEvent[]) {
    this.events.push(...events);
  }
  async publishRetrainRequest(request: RetrainRequest) {
    this.requests.push(request);
  }
  now() {
    return 1_700_000_000_000;
  }
  monotonicSeconds() {
    return 0;
  }
  newId() {
    return `req-${++this.ids}`;
  }
  latents() {}
  windowTested() {}
  driftEvent() {}
  retrainRequested() {}
  retrainBlocked(_: string, reason: string) {
    this.blocked.push(reason);
  }
}

let clockMs = 0;
function latents(seed: number, count: number, shift: number, modelVersion = 'pump@v1'): LatentVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    clockMs += 1_000;
    return {
      deviceId: `dev-${clockMs % 7}`,
      windowStartMs: clockMs,
      windowEndMs: clockMs + 3_000,
      modality: 'SENSOR',
      mean: Array.from({ length: 8 }, () => random.normal(shift, 1)),
      logVar: Array.from({ length: 8 }, () => -1),
      score: Math.abs(random.normal(1 + shift, 0.2)),
      modelVersion,
    };
  });
}

const service = (fakes: Fakes) => new DriftMonitoringService(settings, fakes, fakes, fakes, fakes);

describe('DriftMonitoringService', () => {
  it('a lasting shift gives drift events on every window and exactly one retrain request', async () => {
    const fakes = new Fakes();
    const drift = service(fakes);
    await drift.ingestLatents(latents(1, 100, 0)); // reference
    await drift.ingestLatents(latents(2, 200, 0)); // 4 windows, same distribution
    expect(fakes.requests).toHaveLength(0);
    await drift.ingestLatents(latents(3, 500, 0.8)); // 10 shifted windows
    expect(fakes.requests).toHaveLength(1);
    expect(fakes.requests[0]).toMatchObject({ requestId: 'req-1', modality: 'SENSOR', trigger: 'DRIFT', currentModelVersion: 'pump@v1' });
    // The data range is the event-time span of the episode's drifted windows (up to the request).
    const episode = fakes.rows.filter((r) => r.drifted && r.test === 'MMD').slice(0, 3);
    expect(fakes.requests[0]!.dataFromMs).toBe(episode[0]!.currentStartMs);
    expect(fakes.requests[0]!.dataToMs).toBe(episode[2]!.currentEndMs);
    const shiftedStarts = new Set(fakes.rows.slice(4 * 4).map((r) => r.currentStartMs));
    expect(new Set(fakes.events.filter((e) => shiftedStarts.has(e.currentStartMs)).map((e) => e.currentStartMs)).size).toBe(10);
    expect(fakes.rows).toHaveLength(14 * 4);
    expect(fakes.events.every((e) => e.deviceId === null && e.modelVersion === 'pump@v1')).toBe(true);
    expect(fakes.requests[0]!.driftEventId).toMatch(/^SENSOR:pump@v1:/);
  });

  it('keeps flagged windows out of the reference and stores it for a restart', async () => {
    const fakes = new Fakes();
    const drift = service(fakes);
    const stream = latents(4, 110, 0);
    const flagged: AnomalyResult[] = stream
      .slice(0, 10)
      .map((l) => ({ deviceId: l.deviceId, windowStartMs: l.windowStartMs }) as AnomalyResult & { isAnomaly: boolean })
      .map((r) => ({ ...r, isAnomaly: true }));
    drift.ingestResults(flagged);
    await drift.ingestLatents(stream);
    const reference = fakes.references.get('SENSOR|pump@v1')!;
    expect(reference.count).toBe(100);
    expect(reference.startMs).toBe(stream[10]!.windowStartMs);

    const restarted = service(fakes);
    await restarted.ingestLatents(latents(5, 50, 0));
    expect(fakes.rows.at(-1)!.referenceStartMs).toBe(reference.startMs);
  });

  it("a new model version voids the old evidence; the old version's late latents do not drive the policy", async () => {
    const fakes = new Fakes();
    const drift = service(fakes);
    await drift.ingestLatents(latents(6, 100, 0));
    await drift.ingestLatents(latents(7, 150, 1)); // request for v1
    expect(fakes.requests).toHaveLength(1);
    await drift.ingestLatents(latents(8, 100, 1, 'pump@v2')); // v2's reference (the new regime)
    await drift.ingestLatents(latents(9, 200, 1)); // v1 stragglers, still shifted against v1's reference
    await drift.ingestLatents(latents(10, 200, 1, 'pump@v2')); // v2 sees no drift
    expect(fakes.requests).toHaveLength(1);
    expect(fakes.rows.filter((r) => r.modelVersion === 'pump@v2' && r.test === 'MMD').length).toBe(4);
  });
});

import type { AnomalyResult, DriftEvent, LatentVector, Modality, RetrainRequest } from '@vigil/contracts';
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
  maxSkewMs: 60_000,
  maxBuffered: 10_000,
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
const DEVICES = 7;
/** The newest vectors the event-time ordering still holds: one per device but the one furthest behind. */
const HELD = DEVICES - 1;
function latents(seed: number, count: number, shift: number, modelVersion = 'pump@v1'): LatentVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    clockMs += 1_000;
    return {
      deviceId: `dev-${(clockMs / 1_000) % DEVICES}`,
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

/** The detector's verdict on a latent's window: which models flagged it. */
function resultOf(latent: LatentVector, flagged: Partial<Record<Modality, boolean>>): AnomalyResult {
  const modalities = (Object.keys(flagged) as Modality[]).map((modality) => ({ modality, score: 1, threshold: 1, isAnomaly: flagged[modality]! }));
  return { deviceId: latent.deviceId, windowStartMs: latent.windowStartMs, modalities, isAnomaly: modalities.some((m) => m.isAnomaly) } as AnomalyResult;
}

const service = (fakes: Fakes) => new DriftMonitoringService(settings, fakes, fakes, fakes, fakes);

describe('DriftMonitoringService', () => {
  it('a lasting shift gives drift events on every window and exactly one retrain request', async () => {
    const fakes = new Fakes();
    const drift = service(fakes);
    await drift.ingestLatents(latents(1, 100, 0)); // reference
    await drift.ingestLatents(latents(2, 200, 0)); // 4 windows, same distribution
    expect(fakes.requests).toHaveLength(0);
    await drift.ingestLatents(latents(3, 500 + HELD, 0.8)); // 10 shifted windows
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
    const stream = latents(4, 110 + HELD, 0);
    const flagged: AnomalyResult[] = stream.slice(0, 10).map((l) => resultOf(l, { SENSOR: true }));
    drift.ingestResults(flagged);
    await drift.ingestLatents(stream);
    const reference = fakes.references.get('SENSOR|pump@v1')!;
    expect(reference.count).toBe(100);
    expect(reference.startMs).toBe(stream[10]!.windowStartMs);

    const restarted = service(fakes);
    await restarted.ingestLatents(latents(5, 50 + HELD, 0));
    expect(fakes.rows.at(-1)!.referenceStartMs).toBe(reference.startMs);
  });

  it("a new model version voids the old evidence; the old version's late latents do not drive the policy", async () => {
    const fakes = new Fakes();
    const drift = service(fakes);
    await drift.ingestLatents(latents(6, 100, 0));
    await drift.ingestLatents(latents(7, 150 + HELD, 1)); // request for v1
    expect(fakes.requests).toHaveLength(1);
    await drift.ingestLatents(latents(8, 100, 1, 'pump@v2')); // v2's reference (the new regime)
    await drift.ingestLatents(latents(9, 200, 1)); // v1 stragglers, still shifted against v1's reference
    await drift.ingestLatents(latents(10, 200 + HELD, 1, 'pump@v2')); // v2 sees no drift
    expect(fakes.requests).toHaveLength(1);
    expect(fakes.rows.filter((r) => r.modelVersion === 'pump@v2' && r.test === 'MMD').length).toBe(4);
  });
});

/** One device's latents, a window a second from t = 0; the mean moves by `shift` from `shiftAtS` on. */
function deviceStream(
  seed: number,
  deviceId: string,
  seconds: number,
  shiftAtS: number,
  opts: { modality?: Modality; modelVersion?: string; dim?: number } = {},
) {
  const random = seededRandom(seed);
  return Array.from({ length: seconds }, (_, s): LatentVector => {
    const shift = s >= shiftAtS ? 1 : 0;
    return {
      deviceId,
      windowStartMs: s * 1_000,
      windowEndMs: s * 1_000 + 3_000,
      modality: opts.modality ?? 'SENSOR',
      mean: Array.from({ length: opts.dim ?? 8 }, () => random.normal(shift, 1)),
      logVar: Array.from({ length: opts.dim ?? 8 }, () => -1),
      score: Math.abs(random.normal(1 + shift, 0.2)),
      modelVersion: opts.modelVersion ?? 'pump@v1',
    };
  });
}

/** Interleaves devices by event time, as the detector publishes one partition's devices. */
const partition = (...devices: LatentVector[][]) => devices.flat().sort((a, b) => a.windowStartMs - b.windowStartMs);

describe('DriftMonitoringService on a fleet', () => {
  const SHIFT_S = 150;

  /** A backlog read from two partitions at different speeds: one device runs four times ahead of three. */
  async function backlog(maxSkewMs: number) {
    const fakes = new Fakes();
    const drift = new DriftMonitoringService({ ...settings, maxSkewMs }, fakes, fakes, fakes, fakes);
    const fast = partition(deviceStream(11, 'a', 300, SHIFT_S));
    const slow = partition(deviceStream(12, 'b', 300, SHIFT_S), deviceStream(13, 'c', 300, SHIFT_S), deviceStream(14, 'd', 300, SHIFT_S));
    await Promise.all([drift.ingestLatents(fast.splice(0, 1)), drift.ingestLatents(slow.splice(0, 3))]);
    while (fast.length > 0 || slow.length > 0) await Promise.all([drift.ingestLatents(fast.splice(0, 60)), drift.ingestLatents(slow.splice(0, 15))]);
    return fakes;
  }

  it('tests event-time windows: no episode before the shift, the episode (and the data asked for) starts at it', async () => {
    const fakes = await backlog(600_000); // the fast partition ends 225 s ahead
    const mmd = fakes.rows.filter((r) => r.test === 'MMD');
    expect(fakes.references.get('SENSOR|pump@v1')!.endMs).toBeLessThan(SHIFT_S * 1_000);
    const before = mmd.filter((r) => r.currentEndMs < SHIFT_S * 1_000);
    expect(before.length).toBeGreaterThanOrEqual(8);
    expect(before.filter((r) => r.drifted).length).toBeLessThanOrEqual(1); // α = 0.05 per test
    expect(mmd.filter((r) => r.currentStartMs >= SHIFT_S * 1_000).every((r) => r.drifted)).toBe(true);
    expect(fakes.requests).toHaveLength(1);
    // The first drifted window may straddle the shift: 50 vectors of 4 devices span 12.5 s.
    expect(fakes.requests[0]!.dataFromMs).toBeGreaterThanOrEqual((SHIFT_S - 13) * 1_000);
  });

  it('in arrival order (no waiting for slow devices) the same backlog mixes regimes and blames the pre-shift data', async () => {
    const fakes = await backlog(0);
    expect(fakes.requests).toHaveLength(1);
    expect(fakes.requests[0]!.dataFromMs).toBeLessThan((SHIFT_S - 60) * 1_000);
  });

  it("runs several models' streams at once, each against its own reference; one model's flags do not starve another's", async () => {
    const fakes = new Fakes();
    const drift = service(fakes);
    const devices = ['a', 'b', 'c', 'd'];
    const sensor = partition(...devices.map((d, i) => deviceStream(20 + i, d, 300, SHIFT_S)));
    const fused = partition(...devices.map((d, i) => deviceStream(30 + i, d, 300, SHIFT_S, { modality: 'FUSED', modelVersion: 'multimodal@v1', dim: 16 })));
    // The fused model flags every window (a model fed fewer modalities than it learnt from), the sensor model none.
    drift.ingestResults(sensor.map((l) => resultOf(l, { SENSOR: false, FUSED: true })));
    for (let i = 0; i < sensor.length; i += 40) await Promise.all([drift.ingestLatents(sensor.slice(i, i + 40)), drift.ingestLatents(fused.slice(i, i + 40))]);

    expect(fakes.references.get('SENSOR|pump@v1')).toMatchObject({ dim: 8, count: 100 });
    // The fused model's reference waits for windows it judges normal (it would learn its own false alarms).
    expect(fakes.references.has('FUSED|multimodal@v1')).toBe(false);
    const sensorRows = fakes.rows.filter((r) => r.modality === 'SENSOR' && r.test === 'MMD');
    // Every device ends on the same second, so the ordering releases them all: reference, then 22 windows.
    expect(sensorRows).toHaveLength((sensor.length - 100) / 50);
    expect(fakes.rows.every((r) => r.modality === 'SENSOR' && r.modelVersion === 'pump@v1')).toBe(true);
    expect(fakes.requests.map((r) => [r.modality, r.currentModelVersion])).toEqual([['SENSOR', 'pump@v1']]);
  });

  it('a fused model with a reference of its own asks for its own retrain, once, beside the sensor model', async () => {
    const fakes = new Fakes();
    const drift = new DriftMonitoringService({ ...settings, referenceSize: 200, windowSize: 100, hop: 100 }, fakes, fakes, fakes, fakes);
    const devices = ['a', 'b', 'c', 'd'];
    const sensor = partition(...devices.map((d, i) => deviceStream(40 + i, d, 300, SHIFT_S)));
    const fused = partition(...devices.map((d, i) => deviceStream(50 + i, d, 300, SHIFT_S, { modality: 'FUSED', modelVersion: 'multimodal@v1', dim: 16 })));
    for (let i = 0; i < sensor.length; i += 40) await Promise.all([drift.ingestLatents(sensor.slice(i, i + 40)), drift.ingestLatents(fused.slice(i, i + 40))]);
    expect(fakes.references.get('FUSED|multimodal@v1')).toMatchObject({ dim: 16, count: 200 });
    expect(fakes.requests.map((r) => [r.modality, r.currentModelVersion]).sort()).toEqual([
      ['FUSED', 'multimodal@v1'],
      ['SENSOR', 'pump@v1'],
    ]);
    for (const request of fakes.requests) expect(request.dataToMs).toBeGreaterThan(SHIFT_S * 1_000);
  });
});

/**
 * The live fleet: the latest window of each device, a bounded history per device, fleet telemetry and the
 * connection's state. Large payloads live in `shallowRef`s that are mutated in place and triggered once per
 * applied batch (the socket module batches per animation frame), so Vue never deep-watches thousands of results.
 */
import type { DeviceTelemetry, LiveResult, TelemetryTick } from '@vigil/contracts/realtime';
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import { RingBuffer } from '../lib/ring-buffer';

export const RESULTS_PER_DEVICE = 600;
export const TELEMETRY_TICKS = 480;

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'unauthorized';

/** A device's latest state from its telemetry aggregate, keeping what only a full result says (modalities, root cause). */
export function fromTelemetry(d: DeviceTelemetry, tickEndMs: number, prev: LiveResult | undefined): LiveResult {
  const isAnomaly = d.anomalies > 0;
  return {
    deviceId: d.deviceId,
    windowStartMs: d.lastWindowEndMs - (prev ? prev.windowEndMs - prev.windowStartMs : 0),
    windowEndMs: d.lastWindowEndMs,
    modelVersion: prev?.modelVersion ?? '',
    modalities: prev?.modalities.map((m) => ({ ...m, isAnomaly: isAnomaly && m.isAnomaly })) ?? [
      { modality: 'FUSED', score: d.lastScore, threshold: d.threshold, isAnomaly },
    ],
    missingModalities: prev?.missingModalities ?? [],
    fusedScore: d.lastScore,
    fusedThreshold: d.threshold,
    isAnomaly,
    rootCauseSummary: isAnomaly ? (prev?.rootCauseSummary ?? null) : null,
    processedAtMs: tickEndMs,
  };
}

export const useFleetStore = defineStore('fleet', () => {
  const status = ref<ConnectionStatus>('connecting');
  const statusDetail = ref('');
  const latest = shallowRef(new Map<string, LiveResult>());
  const history = shallowRef(new Map<string, RingBuffer<LiveResult>>());
  const telemetry = shallowRef(new RingBuffer<TelemetryTick>(TELEMETRY_TICKS));
  /** Receive time minus window end of the newest result: how far behind real time the pipeline runs. */
  const pipelineDelayMs = ref<number | null>(null);
  const resultsReceived = ref(0);

  function record(r: LiveResult): void {
    const prev = latest.value.get(r.deviceId);
    if (!prev || prev.windowStartMs <= r.windowStartMs) latest.value.set(r.deviceId, r);
    let ring = history.value.get(r.deviceId);
    if (!ring) history.value.set(r.deviceId, (ring = new RingBuffer<LiveResult>(RESULTS_PER_DEVICE)));
    ring.push(r);
  }

  function applyResults(batch: readonly LiveResult[], receivedAtMs: number): void {
    if (batch.length === 0) return;
    for (const r of batch) record(r);
    const newest = batch[batch.length - 1]!;
    pipelineDelayMs.value = Math.max(0, receivedAtMs - newest.windowEndMs);
    resultsReceived.value += batch.length;
    triggerRef(latest);
    triggerRef(history);
  }

  /** Snapshot results (from a subscribe ack) fill history without moving the live figures. */
  function applySnapshot(snapshot: Record<string, LiveResult[]>): void {
    for (const results of Object.values(snapshot)) for (const r of [...results].sort((a, b) => a.windowStartMs - b.windowStartMs)) record(r);
    triggerRef(latest);
    triggerRef(history);
  }

  /**
   * Fleet telemetry, and the grid's view of each device between its per-window results: results travel as
   * volatile packets (a client following 200 devices misses most of them under load), while the fleet room gets
   * one aggregate per device per tick, so a device whose newest known window is older than its aggregate's is
   * brought up to date from the aggregate (score, threshold, whether the tick held an anomaly).
   */
  function applyTelemetry(ticks: readonly TelemetryTick[]): void {
    if (ticks.length === 0) return;
    let changed = false;
    for (const t of ticks) {
      telemetry.value.push(t);
      for (const d of t.devices) {
        const prev = latest.value.get(d.deviceId);
        if (prev && prev.windowEndMs >= d.lastWindowEndMs) continue;
        latest.value.set(d.deviceId, fromTelemetry(d, t.tickEndMs, prev));
        changed = true;
      }
    }
    triggerRef(telemetry);
    if (changed) triggerRef(latest);
  }

  function setStatus(next: ConnectionStatus, detail = ''): void {
    status.value = next;
    statusDetail.value = detail;
  }

  function deviceHistory(deviceId: string): LiveResult[] {
    return history.value.get(deviceId)?.toArray() ?? [];
  }

  const deviceIds = computed(() => [...latest.value.keys()].sort());

  return {
    status,
    statusDetail,
    latest,
    history,
    telemetry,
    pipelineDelayMs,
    resultsReceived,
    deviceIds,
    applyResults,
    applySnapshot,
    applyTelemetry,
    setStatus,
    deviceHistory,
  };
});

/**
 * Folds the results of one tick into one aggregate per device, so the fleet room gets one small message per
 * tick however many windows closed, and a burst of results costs the sockets nothing extra.
 *
 * @example
 *   const agg = new TelemetryAggregator();
 *   agg.add(result); agg.add(other);
 *   const tick = agg.drain(Date.now());   // { tickEndMs, devices: [...] }, and the aggregator is empty again
 */
import type { DeviceTelemetry, LiveResult, TelemetryTick } from '@vigil/contracts/realtime';

export class TelemetryAggregator {
  private devices = new Map<string, DeviceTelemetry>();

  get size(): number {
    return this.devices.size;
  }

  add(r: LiveResult): void {
    const t = this.devices.get(r.deviceId);
    if (!t) {
      this.devices.set(r.deviceId, {
        deviceId: r.deviceId,
        windows: 1,
        anomalies: r.isAnomaly ? 1 : 0,
        lastScore: r.fusedScore,
        maxScore: r.fusedScore,
        threshold: r.fusedThreshold,
        lastWindowEndMs: r.windowEndMs,
      });
      return;
    }
    t.windows += 1;
    if (r.isAnomaly) t.anomalies += 1;
    t.maxScore = Math.max(t.maxScore, r.fusedScore);
    if (r.windowEndMs >= t.lastWindowEndMs) {
      t.lastScore = r.fusedScore;
      t.threshold = r.fusedThreshold;
      t.lastWindowEndMs = r.windowEndMs;
    }
  }

  drain(tickEndMs: number): TelemetryTick {
    const devices = [...this.devices.values()].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1));
    this.devices = new Map();
    return { tickEndMs, devices };
  }
}

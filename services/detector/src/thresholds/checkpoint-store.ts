/**
 * Per-device checkpoints restored from the compacted checkpoint topic at boot: where each device's windows
 * resume and its threshold states. Devices are looked up lazily, on their first event after a (re)start.
 */
import type { DetectorCheckpoint } from '@vigil/contracts';

export class CheckpointStore {
  private readonly byDevice = new Map<string, DetectorCheckpoint>();

  constructor(checkpoints: Iterable<DetectorCheckpoint | null>) {
    for (const c of checkpoints) if (c !== null) this.byDevice.set(c.deviceId, c);
  }

  /** Newer checkpoints, once durable: a rebalance then resumes from them, not from those read at boot. */
  record(checkpoints: Iterable<DetectorCheckpoint>): void {
    for (const c of checkpoints) this.byDevice.set(c.deviceId, c);
  }

  /** Start of the last durable window, so it is not emitted again. Model-independent: windows are windows. */
  resumeAfter(deviceId: string): number | undefined {
    return this.byDevice.get(deviceId)?.lastWindowStartMs;
  }

  /** Threshold states, only when they belong to `modelVersion` (scores of another model are not comparable). */
  thresholdStates(deviceId: string, modelVersion: string): Record<string, string> | undefined {
    const c = this.byDevice.get(deviceId);
    return c && c.modelVersion === modelVersion ? c.thresholdStates : undefined;
  }
}

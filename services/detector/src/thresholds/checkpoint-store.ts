/**
 * Per-device checkpoints restored from the compacted checkpoint topic at boot: where each device's windows
 * resume and its threshold states. Devices are looked up lazily, on their first event after a (re)start.
 */
import type { DetectorCheckpoint } from '@vigil/contracts';

export class CheckpointStore {
  private readonly byDevice = new Map<string, DetectorCheckpoint>();

  constructor(checkpoints: Iterable<DetectorCheckpoint>, private readonly modelVersion: string) {
    for (const c of checkpoints) if (c !== null) this.byDevice.set(c.deviceId, c);
  }

  get size(): number {
    return this.byDevice.size;
  }

  /** Start of the last durable window, so it is not emitted again. Model-independent: windows are windows. */
  resumeAfter(deviceId: string): number | undefined {
    return this.byDevice.get(deviceId)?.lastWindowStartMs;
  }

  /** Threshold states, only when they belong to the model now serving (scores of another model are not comparable). */
  thresholdStates(deviceId: string): Record<string, string> | undefined {
    const c = this.byDevice.get(deviceId);
    return c && c.modelVersion === this.modelVersion ? c.thresholdStates : undefined;
  }

}

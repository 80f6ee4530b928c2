/**
 * One injected fault on one device, in absolute event time, and its severity curve: zero before onset, a linear
 * ramp to full severity over `rampMs`, then flat until `endMs` (repair). The same curve drives every modality the
 * fault touches, which is what makes the multimodal fault correlated.
 *
 * @example
 *   const fault: Fault = { faultId: 'f1', deviceId: 'dev-0001', type: 'bearing_wear', startMs: 0, rampMs: 10_000, endMs: 60_000, severity: 0.8, channels: undefined };
 *   severityAt(fault, 5_000); // 0.4
 */
import type { FaultType } from '../scenario/scenario.types';

export interface Fault {
  faultId: string;
  deviceId: string;
  type: FaultType;
  startMs: number;
  rampMs: number;
  endMs: number;
  /** 0..1 at full ramp. */
  severity: number;
  /** Channel override from the scenario; undefined → the fault type's default channels. */
  channels: string[] | undefined;
}

export function severityAt(fault: Fault, timeMs: number): number {
  if (timeMs < fault.startMs || timeMs >= fault.endMs) return 0;
  if (fault.rampMs <= 0) return fault.severity;
  return fault.severity * Math.min(1, (timeMs - fault.startMs) / fault.rampMs);
}

/** A device's faults with a fast "what is active now" look-up for the generators. */
export class DeviceFaults {
  constructor(readonly faults: readonly Fault[]) {}

  /** Faults with non-zero severity at `timeMs`, with that severity. */
  activeAt(timeMs: number): Array<{ fault: Fault; severity: number }> {
    const active: Array<{ fault: Fault; severity: number }> = [];
    for (const fault of this.faults) {
      const severity = severityAt(fault, timeMs);
      if (severity > 0) active.push({ fault, severity });
    }
    return active;
  }

  /** The largest severity of faults of the given types at `timeMs` (0 when none). */
  severityOf(types: readonly FaultType[] | ((type: FaultType) => boolean), timeMs: number): number {
    const matches = typeof types === 'function' ? types : (t: FaultType) => types.includes(t);
    let max = 0;
    for (const fault of this.faults) if (matches(fault.type)) max = Math.max(max, severityAt(fault, timeMs));
    return max;
  }
}

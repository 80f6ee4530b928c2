/**
 * Joins a pipeline's window verdicts with the simulators' ground truth: per fault type, the share of windows
 * flagged after the fault's ramp starts (window recall) and the detection delay from onset; over windows far
 * from any fault, the false-alarm rate. A window counts as flagged when it is a process anomaly or carries a
 * sensor fault (the operator is alerted either way). `npm run eval:live` prints it for a scenario run through
 * the real detector.
 *
 * @example
 *   const report = evaluateLive(results, labels, { windowMs: 3000 });
 *   report.byFaultType.cavitation.recall; report.falseAlarmRate;
 */

export interface WindowVerdict {
  deviceId: string;
  windowStartMs: number;
  windowEndMs: number;
  isAnomaly: boolean;
  sensorFaults?: readonly unknown[];
}

export interface FaultLabel {
  deviceId: string;
  faultType: string;
  startMs: number;
  endMs: number;
}

export interface FaultTypeFigures {
  faults: number;
  /** Windows that overlap the fault, from its onset on. */
  windows: number;
  flagged: number;
  recall: number;
  /** Per fault: end of its first flagged window − onset (ms); undefined entries are missed faults. */
  delaysMs: (number | undefined)[];
  medianDelayMs: number | undefined;
}

export interface LiveEvaluation {
  byFaultType: Record<string, FaultTypeFigures>;
  normalWindows: number;
  falseAlarms: number;
  falseAlarmRate: number;
  /** The flagged normal windows themselves, in device then time order: where the false alarms fall. */
  falseAlarmWindows: WindowVerdict[];
}

export interface LiveEvaluationOptions {
  /** Windows this close to a fault (before its onset or after its end) are neither normal nor faulty. */
  marginMs?: number;
}

export function isFlagged(v: WindowVerdict): boolean {
  return v.isAnomaly || (v.sensorFaults?.length ?? 0) > 0;
}

export function evaluateLive(verdicts: readonly WindowVerdict[], labels: readonly FaultLabel[], options: LiveEvaluationOptions = {}): LiveEvaluation {
  const marginMs = options.marginMs ?? 10_000;
  const byDevice = new Map<string, WindowVerdict[]>();
  for (const v of verdicts) {
    const list = byDevice.get(v.deviceId) ?? [];
    list.push(v);
    byDevice.set(v.deviceId, list);
  }
  for (const list of byDevice.values()) list.sort((a, b) => a.windowStartMs - b.windowStartMs);

  const byFaultType: Record<string, FaultTypeFigures> = {};
  for (const label of labels) {
    const figures = (byFaultType[label.faultType] ??= { faults: 0, windows: 0, flagged: 0, recall: 0, delaysMs: [], medianDelayMs: undefined });
    figures.faults++;
    const inFault = (byDevice.get(label.deviceId) ?? []).filter((v) => v.windowEndMs > label.startMs && v.windowStartMs < label.endMs);
    figures.windows += inFault.length;
    figures.flagged += inFault.filter(isFlagged).length;
    const first = inFault.find(isFlagged);
    figures.delaysMs.push(first ? Math.max(0, first.windowEndMs - label.startMs) : undefined);
  }
  for (const figures of Object.values(byFaultType)) {
    figures.recall = figures.windows > 0 ? figures.flagged / figures.windows : 0;
    figures.medianDelayMs = median(figures.delaysMs.filter((d): d is number => d !== undefined));
  }

  let normalWindows = 0;
  const falseAlarmWindows: WindowVerdict[] = [];
  for (const [deviceId, list] of byDevice) {
    const faults = labels.filter((l) => l.deviceId === deviceId);
    for (const v of list) {
      const nearFault = faults.some((l) => v.windowEndMs > l.startMs - marginMs && v.windowStartMs < l.endMs + marginMs);
      if (nearFault) continue;
      normalWindows++;
      if (isFlagged(v)) falseAlarmWindows.push(v);
    }
  }
  const falseAlarms = falseAlarmWindows.length;
  return { byFaultType, normalWindows, falseAlarms, falseAlarmRate: normalWindows > 0 ? falseAlarms / normalWindows : 0, falseAlarmWindows };
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

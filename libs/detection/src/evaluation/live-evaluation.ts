/**
 * Joins a pipeline's window verdicts with the simulators' ground truth: per fault type, the share of windows
 * flagged after the fault's ramp starts (window recall) and the detection delay from onset; over windows far
 * from any fault, the false-alarm rate. A window counts as flagged when it is a process anomaly or carries a
 * sensor fault (the operator is alerted either way). `npm run eval:live` prints it for a scenario run through
 * the real detector.
 *
 * A fault's windows are those whose midpoint lies inside it: most of their span is after the ramp starts (and
 * before the fault ends). The windows that only straddle an edge (a 3 s window with 1 s of a 3 s C-MAPSS end of
 * life, and 2 s of the next engine's healthy start) are counted apart (`straddling`), in neither the recall nor
 * the false alarms; `recallWithStraddling` counts them as fault windows too (what the figures before
 * 2026-12-01 evening counted). The detection delay runs from onset to the end of the first flagged window of
 * either kind.
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
  /** Windows whose midpoint lies inside the fault. */
  windows: number;
  flagged: number;
  recall: number;
  /** Windows that overlap the fault but whose midpoint lies outside it. */
  straddling: number;
  straddlingFlagged: number;
  /** (flagged + straddlingFlagged) / (windows + straddling): every overlapping window a fault window. */
  recallWithStraddling: number;
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
    const figures = (byFaultType[label.faultType] ??= {
      faults: 0,
      windows: 0,
      flagged: 0,
      recall: 0,
      straddling: 0,
      straddlingFlagged: 0,
      recallWithStraddling: 0,
      delaysMs: [],
      medianDelayMs: undefined,
    });
    figures.faults++;
    const overlapping = (byDevice.get(label.deviceId) ?? []).filter((v) => v.windowEndMs > label.startMs && v.windowStartMs < label.endMs);
    for (const v of overlapping) {
      const midpoint = (v.windowStartMs + v.windowEndMs) / 2;
      const inside = midpoint >= label.startMs && midpoint < label.endMs;
      if (inside) figures.windows++;
      else figures.straddling++;
      if (isFlagged(v)) {
        if (inside) figures.flagged++;
        else figures.straddlingFlagged++;
      }
    }
    const first = overlapping.find(isFlagged);
    figures.delaysMs.push(first ? Math.max(0, first.windowEndMs - label.startMs) : undefined);
  }
  for (const figures of Object.values(byFaultType)) {
    figures.recall = figures.windows > 0 ? figures.flagged / figures.windows : 0;
    const overlapping = figures.windows + figures.straddling;
    figures.recallWithStraddling = overlapping > 0 ? (figures.flagged + figures.straddlingFlagged) / overlapping : 0;
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

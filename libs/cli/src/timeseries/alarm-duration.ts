/**
 * A minimum alarm duration in seconds, read from the time column, not in rows: rows are a sampling artefact
 * (the same 30-s blip is 30 rows at 1 Hz and 300 at 10 Hz), seconds are what an alarm philosophy states
 * (ISA-18.2's "on-delay": a condition must persist before it is an alarm). Alarms shorter than the minimum are
 * dropped; the ones kept keep their start, so the report shows when the condition began (a live detector would
 * announce it `minSeconds` later). Off (0) by default: it also drops genuine short faults, and what is "short"
 * is the operator's call, not the data's.
 *
 * @example
 *   const kept = dropShortAlarms(alarms, 60, table.time, 'plant.csv');
 */
import type { AlarmInterval } from '@vigil/detection';
import { InputError } from '../cli-errors';

export function dropShortAlarms<A extends AlarmInterval>(alarms: readonly A[], minSeconds: number, time: readonly string[] | undefined, source: string): A[] {
  if (minSeconds <= 0) return [...alarms];
  const seconds = (row: number) => {
    const at = time?.[row] === undefined ? Number.NaN : Date.parse(time[row]!);
    if (!Number.isFinite(at))
      throw new InputError(`${source}: --min-alarm-seconds needs a time column of dates; row ${row + 1} has ${time ? `"${time[row]}"` : 'none'}`);
    return at / 1000;
  };
  // Duration: from the time of its first row to the time of its last row.
  return alarms.filter((a) => seconds(a.end) - seconds(a.start) >= minSeconds);
}

/**
 * Whether a window's sensor readings come from a machine a sensor model was trained on: at least one reading
 * carries at least one of the model's channels. A mixed fleet (pumps next to turbofan engines) sends windows
 * with channels a model never saw; zero-filling all its channels would score a foreign machine as one whose
 * every sensor dropped out — a false alarm per window. Such windows are not the model's to score. A window
 * with some of the channels is the model's, and the absent ones are dropouts (sensor health says so).
 *
 * @example
 *   if (!readsAnyChannel(window.sensor, model.channelNames)) return undefined;   // not this model's machine
 */
import type { TimedEvent } from '../windows/types';

export function readsAnyChannel(readings: ReadonlyArray<TimedEvent<unknown>>, channelNames: readonly string[]): boolean {
  for (const r of readings) {
    const values = (r.value as { values?: Record<string, unknown> } | undefined)?.values;
    if (!values) continue;
    for (const name of channelNames) if (values[name] !== undefined) return true;
  }
  return false;
}

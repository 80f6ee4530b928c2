/**
 * Keeps every published send in memory, in order: the sink of unit tests and dry runs.
 *
 * @example
 *   const sink = new MemorySink();
 *   await pace(stream, sink, { speed: 'max' });
 *   sink.sends.filter((s) => s.stream === 'label');
 */
import type { PlannedSend, Stream, StreamValues } from '../simulation/sim-event';
import type { EventSink } from './event-sink';

export class MemorySink implements EventSink {
  readonly sends: PlannedSend[] = [];
  closed = false;

  async publish(batch: readonly PlannedSend[]): Promise<void> {
    this.sends.push(...batch);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  valuesOf<S extends Stream>(stream: S): Array<StreamValues[S]> {
    return this.sends.filter((s) => s.stream === stream).map((s) => s.value as StreamValues[S]);
  }
}

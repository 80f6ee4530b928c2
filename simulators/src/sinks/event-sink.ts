/**
 * Where planned sends go. The pacer hands a sink batches in send order; each send carries its stream (the sink
 * maps streams to topics), key (= deviceId), record and send time (the Kafka message timestamp).
 *
 * @example
 *   const sink: EventSink = new MemorySink();
 *   await sink.publish(batch);
 *   await sink.close();
 */
import type { PlannedSend } from '../simulation/sim-event';

export interface EventSink {
  publish(batch: readonly PlannedSend[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Writes each send as one JSON line (binary payloads summarised as their byte length): for looking at what a
 * scenario produces without a broker, e.g. `npm run sim -- demo.yaml --sink stdout --speed max | head`.
 *
 * @example
 *   const sink = new StdoutSink(process.stdout);
 */
import type { PlannedSend } from '../simulation/sim-event';
import type { EventSink } from './event-sink';

export class StdoutSink implements EventSink {
  constructor(private readonly out: NodeJS.WritableStream) {}

  async publish(batch: readonly PlannedSend[]): Promise<void> {
    const lines = batch.map((send) =>
      JSON.stringify({ stream: send.stream, key: send.key, sendTimeMs: send.sendTimeMs, value: send.value }, (_key, value: unknown) => {
        const buffer = value as { type?: string; data?: unknown[] } | null;
        return buffer && buffer.type === 'Buffer' && Array.isArray(buffer.data) ? `<${buffer.data.length} bytes>` : value;
      }),
    );
    if (!this.out.write(lines.join('\n') + '\n')) await new Promise((resolve) => this.out.once('drain', resolve));
  }

  async close(): Promise<void> {}
}

/** Discards everything: measures the generator alone. */
export class NullSink implements EventSink {
  async publish(): Promise<void> {}
  async close(): Promise<void> {}
}

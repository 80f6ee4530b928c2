/**
 * Plays planned sends into a sink at their send times: real time (`speed: 1`), faster or slower (`speed: 10`),
 * or as fast as the sink takes them (`speed: 'max'`). Sends due together are published as one batch; when the
 * sink falls behind, the pacer does not drop or reorder anything, it reports the lag. The clock is injected, so
 * the pacing itself is testable without waiting.
 *
 * @example
 *   const stats = await pace(fleetStream(fleet, delivery, opts), sink, { speed: 1, simStartMs: fleet.startMs });
 *   stats.sent; stats.maxLagMs;
 */
import type { EventSink } from '../sinks/event-sink';
import type { PlannedSend, Stream } from './sim-event';

/** While behind, yield to the event loop this often so the sink's socket I/O progresses during gathering. */
const YIELD_EVERY = 200;

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface PaceOptions {
  speed: number | 'max';
  /** Simulated time that maps to the moment pacing starts. Required unless speed is 'max'. */
  simStartMs?: number;
  clock?: Clock;
  /** Largest batch handed to the sink at once. */
  maxBatch?: number;
  /** Sends due within this window are grouped into one batch (fewer, larger produce requests). */
  batchWindowMs?: number;
  /** Stop early (SIGTERM): sends already due are published, nothing later. */
  signal?: AbortSignal;
  onBatch?: (batch: readonly PlannedSend[], lagMs: number) => void;
}

export interface PaceStats {
  sent: number;
  perStream: Record<Stream, number>;
  batches: number;
  /** Largest delay between a send's planned (wall) time and its publication. */
  maxLagMs: number;
  wallMs: number;
  aborted: boolean;
}

export async function pace(stream: Iterable<readonly PlannedSend[]>, sink: EventSink, opts: PaceOptions): Promise<PaceStats> {
  const clock = opts.clock ?? SYSTEM_CLOCK;
  const maxBatch = opts.maxBatch ?? 5000;
  const windowMs = opts.batchWindowMs ?? 100;
  const wallStart = clock.now();
  const simStart = opts.simStartMs ?? 0;
  const stats: PaceStats = { sent: 0, perStream: { sensor: 0, audio: 0, image: 0, label: 0 }, batches: 0, maxLagMs: 0, wallMs: 0, aborted: false };
  const wallTimeOf = (send: PlannedSend) => (opts.speed === 'max' ? wallStart : wallStart + (send.sendTimeMs - simStart) / opts.speed);

  let pending: PlannedSend[] = [];
  // One request at a time (Kafka answers a connection's requests in order anyway); the next batch gathers meanwhile.
  let inFlight: Promise<void> = Promise.resolve();
  let busy = false;
  const publish = async (batch: PlannedSend[]) => {
    await sink.publish(batch);
    const lagMs = Math.max(0, clock.now() - wallTimeOf(batch[batch.length - 1]!));
    stats.maxLagMs = Math.max(stats.maxLagMs, lagMs);
    stats.batches += 1;
    stats.sent += batch.length;
    for (const send of batch) stats.perStream[send.stream] += 1;
    opts.onBatch?.(batch, lagMs);
  };
  const flush = async () => {
    await inFlight; // rethrows a failed publish
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    busy = true;
    inFlight = publish(batch).finally(() => (busy = false));
    inFlight.catch(() => undefined); // observed here, rethrown by the next flush
  };

  let gathered = 0;
  outer: for (const slice of stream) {
    for (const send of slice) {
      if (opts.signal?.aborted) {
        stats.aborted = true;
        break outer;
      }
      const due = wallTimeOf(send);
      const onTime = due > clock.now();
      if (pending.length > 0) {
        // On time: group sends due within the window. Behind: send what has gathered as soon as the sink is free,
        // so batches grow with the backlog and a slow broker gets fewer, larger requests.
        if (pending.length >= maxBatch || (onTime && due > wallTimeOf(pending[0]!) + windowMs) || (!onTime && !busy)) await flush();
        else if (!onTime && ++gathered % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve)); // let the sink's I/O run
      }
      const wait = due - clock.now();
      if (wait > 0) await clock.sleep(wait, opts.signal); // a stop (SIGTERM) need not wait for a sparse stream's next send
      if (opts.signal?.aborted) {
        stats.aborted = true;
        break outer;
      }
      pending.push(send);
    }
  }
  await flush(); // what was already due goes out, stopped or not
  await inFlight;
  stats.wallMs = clock.now() - wallStart;
  return stats;
}

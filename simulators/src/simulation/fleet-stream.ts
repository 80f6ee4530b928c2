/**
 * The pure heart of a run: the fleet's events in send order, as a lazy sequence of batches. Event time advances
 * in slices; each slice's samples are generated for every device and stream, given a send time by the delivery
 * model and queued; everything due before the slice's end is then released in send-time order (later slices can
 * only add events sent later still, since sending never precedes observing). Memory stays bounded by the longest
 * delay, not by the run's length. No clock, no I/O: tests iterate it instantly, the pacer replays it in real time.
 *
 * @example
 *   for (const batch of fleetStream(fleet, delivery, { streams: new Set(['sensor', 'label']) })) sink.publish(batch);
 */
import type { DeliveryModel } from '../timing/delivery-model';
import type { Fleet } from './fleet-builder';
import { SendQueue } from './send-queue';
import { MODALITY_STREAMS, type PlannedSend, type Stream } from './sim-event';

export interface FleetStreamOptions {
  /** Streams to produce; a sensor-only simulator process passes `sensor` (and `label` if it owns the labels). */
  streams: ReadonlySet<Stream>;
  /** Event-time slice; small enough to keep memory low, large enough to batch well. */
  sliceMs?: number;
}

export function* fleetStream(fleet: Fleet, delivery: DeliveryModel, opts: FleetStreamOptions): Generator<PlannedSend[]> {
  const sliceMs = opts.sliceMs ?? 1000;
  const endMs = fleet.startMs + fleet.durationMs;
  const queue = new SendQueue();
  const nextSeq = new Map<string, number>();
  const pendingLabels = opts.streams.has('label') ? [...fleet.labels].sort((a, b) => a.startMs - b.startMs) : [];

  for (let sliceStart = fleet.startMs; sliceStart < endMs; sliceStart += sliceMs) {
    const sliceEnd = Math.min(endMs, sliceStart + sliceMs);
    // Labels go out at fault onset (event time = send time: they come from the simulator's control plane, not a device).
    while (pendingLabels.length > 0 && pendingLabels[0]!.startMs < sliceEnd) {
      const label = pendingLabels.shift()!;
      const at = Math.max(fleet.startMs, label.startMs);
      queue.push({ stream: 'label', key: label.deviceId, value: label, eventTimeMs: at, sendTimeMs: at });
    }
    for (const device of fleet.devices) {
      for (const stream of MODALITY_STREAMS) {
        const source = device.sources[stream];
        if (!source || !opts.streams.has(stream)) continue;
        const seqKey = `${device.deviceId}/${stream}`;
        let seq = nextSeq.get(seqKey) ?? 0;
        for (
          let eventTimeMs = sampleTime(fleet.startMs, source.periodMs, seq);
          eventTimeMs < sliceEnd;
          eventTimeMs = sampleTime(fleet.startMs, source.periodMs, ++seq)
        ) {
          // Generate even when the event will be dropped: the device still measured it, and generator state
          // (phases, stuck values, random draws) must not depend on the delivery settings.
          // The record carries the device's clock; sending happens in reference time.
          const stampedMs = eventTimeMs + delivery.clockOffsetMs(device.deviceId);
          const value = source.sample(seq, stampedMs);
          const sendTimeMs = delivery.sendTime(stream, device.deviceId, eventTimeMs, source.captureMs);
          if (sendTimeMs !== undefined) queue.push({ stream, key: device.deviceId, value, eventTimeMs: stampedMs, sendTimeMs } as PlannedSend);
        }
        nextSeq.set(seqKey, seq);
      }
    }
    const due = queue.popUntil(sliceEnd);
    if (due.length > 0) yield due;
  }
  const rest = queue.popUntil();
  if (rest.length > 0) yield rest;
}

/** Sample times on an exact grid (no drift from adding a fractional period repeatedly). */
function sampleTime(startMs: number, periodMs: number, seq: number): number {
  return Math.round(startMs + seq * periodMs);
}

/**
 * When (and whether) each event leaves its device: send time = event time + capture time (an audio chunk can
 * only go once recorded) + fixed latency + exponential jitter, plus, now and then, a long delay (a device that
 * buffered while offline: a late event behind the watermark). Events are dropped at random per modality, and a
 * whole modality can be missing for a window or the run (outages). Jitter larger than the sample period reorders
 * a device's events, so the downstream alignment sees out-of-order, late and missing data.
 *
 * Device clocks can be skewed (`clockSkewMs`): records then carry device time, sends happen in reference time.
 * Each device and stream has its own seeded generator: the plan for one stream never depends on another.
 *
 * @example
 *   const delivery = new DeliveryModel(scenario.timing, seed, startMs);
 *   delivery.sendTime('sensor', 'dev-0001', eventTimeMs, 0); // e.g. eventTimeMs + 47, or undefined (dropped)
 */
import { SeededRandom } from '../random/seeded-random';
import type { TimingConfig } from '../scenario/scenario.types';
import type { ModalityStream } from '../simulation/sim-event';

export class DeliveryModel {
  private readonly generators = new Map<string, SeededRandom>();
  private readonly clockOffsets = new Map<string, number>();

  constructor(
    private readonly timing: TimingConfig,
    private readonly seed: number | string,
    private readonly runStartMs: number,
  ) {}

  /** Send time of an event, or undefined when it never arrives (dropped or in an outage). */
  sendTime(stream: ModalityStream, deviceId: string, eventTimeMs: number, captureMs: number): number | undefined {
    const rng = this.generator(stream, deviceId);
    // Draw every number whatever the outcome, so one event's fate never shifts the next event's draws.
    const dropDraw = rng.next();
    const jitter = -this.timing.jitterMs * Math.log(1 - rng.next()); // exponential with mean jitterMs
    const lateDraw = rng.next();
    const lateDelay = rng.uniform(this.timing.late.minDelayMs, this.timing.late.maxDelayMs);
    if (this.inOutage(stream, deviceId, eventTimeMs)) return undefined;
    if (dropDraw < this.timing.drop[stream]) return undefined;
    const late = lateDraw < this.timing.late.probability ? lateDelay : 0;
    return Math.round(eventTimeMs + captureMs + this.timing.latencyMs + jitter + late);
  }

  /** The device clock's constant offset from the reference clock (0 unless `clockSkewMs` is set). */
  clockOffsetMs(deviceId: string): number {
    let offset = this.clockOffsets.get(deviceId);
    if (offset === undefined) {
      const skew = this.timing.clockSkewMs;
      offset = skew > 0 ? Math.round(SeededRandom.forKey(this.seed, deviceId, 'clock').uniform(-skew, skew)) : 0;
      this.clockOffsets.set(deviceId, offset);
    }
    return offset;
  }

  private inOutage(stream: ModalityStream, deviceId: string, eventTimeMs: number): boolean {
    return this.timing.outages.some(
      (o) =>
        o.device === deviceId &&
        o.modality === stream &&
        eventTimeMs >= this.runStartMs + o.startMs &&
        eventTimeMs < this.runStartMs + o.startMs + o.durationMs,
    );
  }

  private generator(stream: ModalityStream, deviceId: string): SeededRandom {
    const key = `${deviceId}/${stream}`;
    let rng = this.generators.get(key);
    if (!rng) {
      rng = SeededRandom.forKey(this.seed, deviceId, stream, 'delivery');
      this.generators.set(key, rng);
    }
    return rng;
  }
}

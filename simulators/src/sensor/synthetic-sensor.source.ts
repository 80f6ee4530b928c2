/**
 * Synthetic multi-channel sensor of a motor-driven pump: speed, current, vibration, bearing and motor
 * temperatures, discharge pressure and flow, all driven by the device's operating profile (load regimes,
 * thermal lag, daily ambient swing), with Gaussian measurement noise and a slow wear trend; faults from the
 * catalogue add offsets, noise or freeze channels. A regime shift (scenario `regimeShift`) scales and offsets
 * healthy values from its start on.
 *
 * @example
 *   const sensor = new SyntheticSensorSource(seed, profile, new DeviceFaults(faults), 10);
 *   sensor.sample(0, startMs).values; // { rpm: 1490.2, motor_current: 21.3, vibration_rms: 2.1, … }
 */
import type { SensorReading } from '../contracts';
import { sensorEffectsOf } from '../faults/fault-catalogue';
import { type DeviceFaults, type Fault } from '../faults/fault';
import { SeededRandom } from '../random/seeded-random';
import type { FaultExpression, ModalitySource } from '../device/modality-source';
import type { OperatingProfile } from '../device/operating-profile';

/** Channel names and units of the synthetic sensor. */
export const SYNTHETIC_CHANNELS = {
  rpm: '1/min',
  motor_current: 'A',
  vibration_rms: 'mm/s',
  bearing_temp: '°C',
  motor_temp: '°C',
  pressure: 'bar',
  flow: 'm³/h',
} as const;
export type SyntheticChannel = keyof typeof SYNTHETIC_CHANNELS;

/** Measurement noise (one standard deviation) per channel. */
const NOISE: Record<SyntheticChannel, number> = {
  rpm: 3,
  motor_current: 0.3,
  vibration_rms: 0.15,
  bearing_temp: 0.2,
  motor_temp: 0.25,
  pressure: 0.05,
  flow: 0.8,
};

/** Healthy bearings still wear: +0.5 °C per day of running, enough to show as a trend in long runs. */
const BEARING_WEAR_C_PER_MS = 0.5 / 86_400_000;

/** A change of operating point from `startMs` (epoch ms) on: healthy values scaled, then offset. */
export interface SensorRegimeShift {
  startMs: number;
  scale: Partial<Record<SyntheticChannel, number>>;
  offset: Partial<Record<SyntheticChannel, number>>;
}

export class SyntheticSensorSource implements ModalitySource<'sensor'> {
  readonly stream = 'sensor' as const;
  readonly captureMs = 0;
  readonly origin = 'synthetic';
  readonly periodMs: number;
  private readonly rng: SeededRandom;
  /** Fault noise draws from its own stream, so a fault leaves the channels it does not touch bit-identical. */
  private readonly faultRng: SeededRandom;
  /** Values frozen by `stuck` faults, by fault id and channel. */
  private readonly frozen = new Map<string, number>();
  private firstSampleMs: number | undefined;

  constructor(
    seed: number | string,
    private readonly profile: OperatingProfile,
    private readonly faults: DeviceFaults,
    rateHz: number,
    private readonly shift?: SensorRegimeShift,
  ) {
    this.periodMs = 1000 / rateHz;
    this.rng = SeededRandom.forKey(seed, profile.deviceId, 'sensor');
    this.faultRng = SeededRandom.forKey(seed, profile.deviceId, 'sensor', 'faults');
  }

  expression(fault: Fault): FaultExpression | undefined {
    const effects = sensorEffectsOf(fault.type, fault.channels).filter((e) => e.channel in SYNTHETIC_CHANNELS);
    return effects.length > 0 ? { channels: [...new Set(effects.map((e) => e.channel))] } : undefined;
  }

  sample(seq: number, eventTimeMs: number): SensorReading {
    const values = this.healthyValues(eventTimeMs);
    for (const { fault, severity } of this.faults.activeAt(eventTimeMs)) {
      for (const effect of sensorEffectsOf(fault.type, fault.channels)) {
        const current = values[effect.channel];
        if (current === undefined) continue;
        if (effect.kind === 'offset') values[effect.channel] = current + effect.perSeverity * severity;
        else if (effect.kind === 'noise') values[effect.channel] = current + effect.perSeverity * severity * this.faultRng.normal();
        else {
          const key = `${fault.faultId}/${effect.channel}`;
          if (!this.frozen.has(key)) this.frozen.set(key, current);
          values[effect.channel] = this.frozen.get(key)!;
        }
      }
    }
    return { deviceId: this.profile.deviceId, eventTimeMs, seq, values };
  }

  private healthyValues(t: number): Record<string, number> {
    const p = this.profile;
    const load = p.loadAt(t);
    const thermal = p.thermalLoadAt(t);
    const ambient = p.ambientAt(t);
    this.firstSampleMs ??= t;
    const wear = (t - this.firstSampleMs) * BEARING_WEAR_C_PER_MS;
    const clean: Record<SyntheticChannel, number> = {
      rpm: p.rpmAt(t),
      motor_current: 8 + 22 * load,
      vibration_rms: 1.2 + 1.6 * load,
      bearing_temp: ambient + 12 + 25 * thermal + wear,
      motor_temp: ambient + 18 + 35 * thermal,
      pressure: 2 + 4 * load,
      flow: 20 + 60 * load,
    };
    const shifted = this.shift && t >= this.shift.startMs ? this.shift : undefined;
    const values: Record<string, number> = {};
    for (const channel of Object.keys(clean) as SyntheticChannel[]) {
      const healthy = shifted ? clean[channel] * (shifted.scale[channel] ?? 1) + (shifted.offset[channel] ?? 0) : clean[channel];
      values[channel] = healthy + NOISE[channel] * this.rng.normal();
    }
    return values;
  }
}

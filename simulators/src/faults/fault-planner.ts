/**
 * Turns a scenario's fault section into concrete faults in absolute event time: the scheduled ones as written,
 * plus `random.count` faults drawn with the scenario seed (device, type, onset, duration, severity), so a random
 * schedule is reproducible too. Labels are derived from the faults and what each device's sources can show.
 *
 * @example
 *   const faults = planFaults(scenario, deviceIds, startMs);
 *   const labels = labelFor(faults[0], { SENSOR: ['vibration_rms'], AUDIO: [] }, scenario.name);
 */
import type { GroundTruthLabel, Modality } from '../contracts';
import { SeededRandom } from '../random/seeded-random';
import type { Scenario } from '../scenario/scenario.types';
import type { Fault } from './fault';

export class UnknownDeviceError extends Error {
  override readonly name = 'UnknownDeviceError';
}

export function planFaults(scenario: Scenario, deviceIds: readonly string[], startMs: number): Fault[] {
  const known = new Set(deviceIds);
  const faults: Fault[] = scenario.faults.scheduled.map((f, i) => {
    if (!known.has(f.device)) throw new UnknownDeviceError(`faults.scheduled[${i}]: no device "${f.device}" in the fleet`);
    return {
      faultId: f.id ?? `${scenario.name}-f${String(i + 1).padStart(3, '0')}`,
      deviceId: f.device,
      type: f.type,
      startMs: startMs + f.startMs,
      rampMs: f.rampMs,
      endMs: startMs + f.endMs,
      severity: f.severity,
      channels: f.channels,
    };
  });
  const random = scenario.faults.random;
  if (random && random.count > 0 && random.types.length > 0) {
    const rng = SeededRandom.forKey(scenario.seed, 'random-faults');
    for (let i = 0; i < random.count; i++) {
      const duration = Math.min(scenario.durationMs, rng.uniform(random.minDurationMs, random.maxDurationMs));
      const onset = rng.uniform(0, scenario.durationMs - duration);
      faults.push({
        faultId: `${scenario.name}-r${String(i + 1).padStart(3, '0')}`,
        deviceId: rng.pick(deviceIds),
        type: rng.pick(random.types),
        startMs: Math.round(startMs + onset),
        rampMs: Math.round(duration * random.rampFraction),
        endMs: Math.round(startMs + onset + duration),
        severity: rng.uniform(random.minSeverity, random.maxSeverity),
        channels: undefined,
      });
    }
  }
  return faults;
}

/**
 * The label for one fault, given how the device shows it per modality (sensor channels, or [] for audio/image).
 * Returns undefined when the device cannot show the fault at all, so no label promises what no stream carries.
 */
export function labelFor(fault: Fault, shownIn: Partial<Record<Modality, string[]>>, source: string): GroundTruthLabel | undefined {
  const modalities = (['SENSOR', 'AUDIO', 'IMAGE'] as const).filter((m) => shownIn[m] !== undefined);
  if (modalities.length === 0) return undefined;
  return {
    deviceId: fault.deviceId,
    faultId: fault.faultId,
    faultType: fault.type,
    modalities,
    channels: shownIn.SENSOR ?? [],
    startMs: fault.startMs,
    rampMs: fault.rampMs,
    endMs: fault.endMs,
    severity: fault.severity,
    source,
  };
}

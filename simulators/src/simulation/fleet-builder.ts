/**
 * Scenario → the simulated fleet: device ids, one source per configured modality, the planned faults and the
 * ground-truth labels that follow from what each device can show. Synthetic sources need nothing but the seed;
 * replay sources come from a `ReplayCatalogue` the caller loaded from disk (so this file does no I/O).
 *
 * @example
 *   const fleet = buildFleet(scenario, { startMs, replay: undefined });
 *   fleet.devices[0].deviceId; // 'dev-0001'
 */
import type { GroundTruthLabel, Modality } from '../contracts';
import { DeviceFaults, type Fault } from '../faults/fault';
import { labelFor, planFaults } from '../faults/fault-planner';
import type { ModalitySource } from '../device/modality-source';
import { OperatingProfile } from '../device/operating-profile';
import { SyntheticAudioSource } from '../audio/synthetic-audio.source';
import { SyntheticThermalSource } from '../image/synthetic-thermal.source';
import { type SensorRegimeShift, SyntheticSensorSource } from '../sensor/synthetic-sensor.source';
import type { DeviceGroup, RegimeShift, Scenario } from '../scenario/scenario.types';
import { MODALITY_OF_STREAM, type ModalityStream } from './sim-event';

export interface SimDevice {
  deviceId: string;
  sources: { sensor?: ModalitySource<'sensor'>; audio?: ModalitySource<'audio'>; image?: ModalitySource<'image'> };
}

/** What replay sources a device gets; implemented over the real data sets in `replay/`. */
export interface ReplayCatalogue {
  /** Device id for the `index`-th C-MAPSS device of a group (named after its engine). */
  cmapssDeviceId(group: DeviceGroup, index: number): string;
  sensor(group: DeviceGroup, index: number, deviceId: string, faults: DeviceFaults): ModalitySource<'sensor'>;
  audio(group: DeviceGroup, index: number, deviceId: string, faults: DeviceFaults): ModalitySource<'audio'>;
  image(group: DeviceGroup, index: number, deviceId: string, faults: DeviceFaults): ModalitySource<'image'>;
}

export class ReplayUnavailableError extends Error {
  override readonly name = 'ReplayUnavailableError';
}

export interface Fleet {
  devices: SimDevice[];
  faults: Fault[];
  /** One label per fault a device can show, plus labels the replayed data carries. */
  labels: GroundTruthLabel[];
  startMs: number;
  durationMs: number;
}

export function buildFleet(scenario: Scenario, opts: { startMs: number; replay: ReplayCatalogue | undefined }): Fleet {
  const { startMs } = opts;
  const placed = placeDevices(scenario, opts.replay);
  const faults = planFaults(
    scenario,
    placed.map((p) => p.deviceId),
    startMs,
  );
  const devices: SimDevice[] = [];
  const labels: GroundTruthLabel[] = [];
  for (const { deviceId, group, index } of placed) {
    const deviceFaults = new DeviceFaults(faults.filter((f) => f.deviceId === deviceId));
    const profile = OperatingProfile.create(scenario.seed, deviceId, startMs, scenario.durationMs);
    const replay = () => {
      if (!opts.replay) throw new ReplayUnavailableError(`group "${group.name}" replays real data, but no data set was loaded`);
      return opts.replay;
    };
    const sources: SimDevice['sources'] = {};
    if (group.sensor) {
      sources.sensor =
        group.sensor.source === 'synthetic'
          ? new SyntheticSensorSource(scenario.seed, profile, deviceFaults, group.sensor.rateHz, regimeShiftAt(group.sensor.regimeShift, startMs))
          : replay().sensor(group, index, deviceId, deviceFaults);
    }
    if (group.audio) {
      sources.audio =
        group.audio.source === 'synthetic'
          ? new SyntheticAudioSource(scenario.seed, profile, deviceFaults, group.audio)
          : replay().audio(group, index, deviceId, deviceFaults);
    }
    if (group.image) {
      sources.image =
        group.image.source === 'synthetic'
          ? new SyntheticThermalSource(scenario.seed, profile, deviceFaults, group.image)
          : replay().image(group, index, deviceId, deviceFaults);
    }
    devices.push({ deviceId, sources });
    for (const fault of deviceFaults.faults) {
      const shownIn: Partial<Record<Modality, string[]>> = {};
      const origins: string[] = [];
      for (const stream of ['sensor', 'audio', 'image'] as const satisfies readonly ModalityStream[]) {
        const expression = sources[stream]?.expression(fault);
        if (!expression) continue;
        shownIn[MODALITY_OF_STREAM[stream]] = expression.channels;
        origins.push(sources[stream]!.origin);
      }
      const label = labelFor(fault, shownIn, `scenario:${scenario.name}|${[...new Set(origins)].join('+')}`);
      if (label) labels.push(label);
    }
    // Sources number samples from the run's start, so dataset labels are placed relative to it.
    for (const source of Object.values(sources)) labels.push(...(source.datasetLabels?.(startMs, startMs + scenario.durationMs) ?? []));
  }
  return { devices, faults, labels, startMs, durationMs: scenario.durationMs };
}

function placeDevices(scenario: Scenario, replay: ReplayCatalogue | undefined): Array<{ deviceId: string; group: DeviceGroup; index: number }> {
  const nextNumber = new Map<string, number>();
  const placed: Array<{ deviceId: string; group: DeviceGroup; index: number }> = [];
  for (const group of scenario.fleet) {
    for (let index = 0; index < group.count; index++) {
      let deviceId: string;
      if (group.sensor?.source === 'cmapss') {
        if (!replay) throw new ReplayUnavailableError(`group "${group.name}" replays C-MAPSS, but no data set was loaded`);
        deviceId = replay.cmapssDeviceId(group, index);
      } else {
        const n = (nextNumber.get(group.idPrefix) ?? 0) + 1;
        nextNumber.set(group.idPrefix, n);
        deviceId = `${group.idPrefix}-${String(n).padStart(4, '0')}`;
      }
      if (placed.some((p) => p.deviceId === deviceId)) throw new RangeError(`device id "${deviceId}" appears twice in the fleet`);
      placed.push({ deviceId, group, index });
    }
  }
  return placed;
}

/** The scenario's shift (relative to the run's start) on the event-time axis. */
function regimeShiftAt(shift: RegimeShift | undefined, startMs: number): SensorRegimeShift | undefined {
  return shift && { startMs: startMs + shift.atMs, scale: shift.scale, offset: shift.offset };
}

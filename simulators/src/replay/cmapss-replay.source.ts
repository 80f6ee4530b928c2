/**
 * A C-MAPSS FD001 engine as a sensor device: one engine cycle per sample, the dataset's sensor names (`s2`, `s3`,
 * … — the 14 informative FD001 sensors the detector is trained on), looping from the first cycle after the last
 * (a "replacement engine"). The data carries its own fault — HPC degradation towards failure — so the source
 * labels the last `degradedRulCycles` cycles of every pass itself. Of the scheduled faults only `sensor_stuck` is
 * applied to real engine data (a frozen sensor, default `s7`, the HPC outlet pressure — or the fault's `channels`);
 * physical faults (bearing wear, …) are not written into it (`expression` → undefined), so no label promises a
 * sensor effect the stream does not carry.
 *
 * @example
 *   const source = new CmapssReplaySource('cmapss-fd001-u017', unitRows, { rateHz: 10, degradedRulCycles: 30 });
 *   source.sample(0, t0).values.s2; // 642.xx
 */
import { FD001_INFORMATIVE_SENSORS, SENSOR_NAMES, type CmapssRow } from '@vigil/datasets';
import type { GroundTruthLabel, SensorReading } from '../contracts';
import type { FaultExpression, ModalitySource } from '../device/modality-source';
import { DeviceFaults, type Fault } from '../faults/fault';

const DEFAULT_STUCK_CHANNEL = 's7';

export const CMAPSS_ORIGIN = 'cmapss-fd001';

export class CmapssReplaySource implements ModalitySource<'sensor'> {
  readonly stream = 'sensor' as const;
  readonly captureMs = 0;
  readonly origin = CMAPSS_ORIGIN;
  readonly periodMs: number;
  private readonly sensorIndex = FD001_INFORMATIVE_SENSORS.map((name) => SENSOR_NAMES.indexOf(name));
  /** Values frozen by `sensor_stuck` faults, by fault id and channel. */
  private readonly frozen = new Map<string, number>();

  constructor(
    readonly deviceId: string,
    private readonly rows: readonly CmapssRow[],
    private readonly config: { rateHz: number; degradedRulCycles: number },
    private readonly faults: DeviceFaults = new DeviceFaults([]),
  ) {
    if (rows.length === 0) throw new RangeError(`${deviceId}: engine has no cycles`);
    this.periodMs = 1000 / config.rateHz;
  }

  expression(fault: Fault): FaultExpression | undefined {
    if (fault.type !== 'sensor_stuck') return undefined;
    const channels = stuckChannels(fault);
    return channels.length > 0 ? { channels } : undefined;
  }

  sample(seq: number, eventTimeMs: number): SensorReading {
    const row = this.rows[seq % this.rows.length]!;
    const values: Record<string, number> = {};
    FD001_INFORMATIVE_SENSORS.forEach((name, i) => (values[name] = row.sensors[this.sensorIndex[i]!]!));
    for (const { fault } of this.faults.activeAt(eventTimeMs)) {
      if (fault.type !== 'sensor_stuck') continue;
      for (const channel of stuckChannels(fault)) {
        const key = `${fault.faultId}/${channel}`;
        if (!this.frozen.has(key)) this.frozen.set(key, values[channel]!);
        values[channel] = this.frozen.get(key)!;
      }
    }
    return { deviceId: this.deviceId, eventTimeMs, seq, values };
  }

  /** Labels for a run whose first sample (seq 0) is at `fromMs`. */
  datasetLabels(fromMs: number, toMs: number): GroundTruthLabel[] {
    const cycles = this.rows.length;
    const degradedFrom = Math.max(0, cycles - 1 - this.config.degradedRulCycles);
    const labels: GroundTruthLabel[] = [];
    const time = (seq: number) => Math.round(fromMs + seq * this.periodMs);
    for (let pass = 0; time(pass * cycles) < toMs; pass++) {
      const startMs = time(pass * cycles + degradedFrom);
      const endMs = time((pass + 1) * cycles);
      if (startMs >= toMs) continue;
      labels.push({
        deviceId: this.deviceId,
        faultId: `${this.deviceId}-hpc-degradation-pass${pass + 1}`,
        faultType: 'hpc_degradation',
        modalities: ['SENSOR'],
        channels: [...FD001_INFORMATIVE_SENSORS],
        startMs,
        rampMs: endMs - startMs,
        endMs,
        severity: 1,
        source: `dataset:${CMAPSS_ORIGIN}`,
      });
    }
    return labels;
  }
}

function stuckChannels(fault: Fault): string[] {
  return (fault.channels ?? [DEFAULT_STUCK_CHANNEL]).filter((c) => FD001_INFORMATIVE_SENSORS.includes(c));
}

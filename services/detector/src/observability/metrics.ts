/**
 * The detector's Prometheus metrics, on the service's registry (one per instance, so tests can create several
 * detectors). Names are the constants of `DETECTOR_METRICS` (@vigil/contracts), which the dashboards import.
 */
import { Inject, Injectable } from '@nestjs/common';
import { DETECTOR_METRICS as M } from '@vigil/contracts';
import { METRICS_REGISTRY } from '@vigil/service';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Devices an instance labels `deviceWindows` with; later ones count under `_other`, so series stay bounded. */
export const DEVICE_LABEL_LIMIT = 500;
export const OTHER_DEVICES = '_other';

@Injectable()
export class DetectorMetrics {
  readonly events: Counter;
  readonly lateEvents: Counter;
  readonly deadLettered: Counter;
  readonly windows: Counter;
  readonly missingModality: Counter;
  readonly anomalies: Counter;
  readonly sensorFaults: Counter;
  readonly consumerLag: Gauge;
  readonly windowLatency: Histogram;
  /**
   * Where a window's time goes, per stage: `consume` = Kafka append of a batch's last event → its handler
   * starts; `score` = window closed → scored (micro-batch wait + model); `publish` = scored → result on the
   * results topic; `durable` = scored → in ClickHouse too (after which offsets may be committed).
   */
  readonly stageLatency: Histogram;
  readonly scoringLatency: Histogram;
  readonly flushLatency: Histogram;
  readonly modelSwaps: Counter;
  readonly activeDevices: Gauge;
  readonly offlineDevices: Gauge;
  readonly modelInfo: Gauge;
  readonly deviceWindows: Counter;
  private readonly labelledDevices = new Set<string>();

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    const registers = [registry];
    this.events = new Counter({ name: M.events, help: 'Events consumed', labelNames: ['modality'], registers });
    this.lateEvents = new Counter({
      name: M.lateEvents,
      help: 'Events after their windows closed (sent to the late topic)',
      labelNames: ['modality'],
      registers,
    });
    this.deadLettered = new Counter({ name: M.deadLettered, help: 'Messages sent to the dead-letter topic', labelNames: ['topic'], registers });
    this.windows = new Counter({ name: M.windows, help: 'Windows scored', registers });
    this.missingModality = new Counter({ name: M.missingModality, help: 'Windows scored without an expected modality', labelNames: ['modality'], registers });
    this.anomalies = new Counter({ name: M.anomalies, help: 'Windows flagged anomalous', labelNames: ['modality'], registers });
    this.sensorFaults = new Counter({
      name: M.sensorFaults,
      help: 'Sensor faults found by the sensor-health rules',
      labelNames: ['channel', 'kind'],
      registers,
    });
    this.consumerLag = new Gauge({ name: M.consumerLag, help: 'Offset lag of the last batch per partition', labelNames: ['topic', 'partition'], registers });
    this.windowLatency = new Histogram({
      name: M.windowLatency,
      help: 'Wall-clock time from a window closing (watermark passed) to its result being durable',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.stageLatency = new Histogram({
      name: M.stageLatency,
      help: 'Time spent per pipeline stage (consume, score, publish, durable)',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.scoringLatency = new Histogram({
      name: M.scoringLatency,
      help: 'Model time per micro-batch',
      labelNames: ['modality'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
    this.flushLatency = new Histogram({
      name: M.flushLatency,
      help: 'ClickHouse + Kafka write per flush',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.modelSwaps = new Counter({ name: M.modelSwaps, help: 'Hot swaps to a newer model version', registers });
    this.modelInfo = new Gauge({ name: M.modelInfo, help: 'Served model versions (1 each)', labelNames: ['modality', 'model_version'], registers });
    this.offlineDevices = new Gauge({ name: M.offlineDevices, help: 'Devices silent for DETECTOR_OFFLINE_AFTER_MS', registers });
    this.activeDevices = new Gauge({ name: M.activeDevices, help: 'Devices with open windows', registers });
    this.deviceWindows = new Counter({
      name: M.deviceWindows,
      help: `Scored windows per device and modality (first ${DEVICE_LABEL_LIMIT} devices, then ${OTHER_DEVICES})`,
      labelNames: ['device', 'modality', 'anomalous'],
      registers,
    });
  }

  /** One modality's verdict on one device's window, for the per-device anomaly rate. */
  deviceScored(deviceId: string, modality: string, isAnomaly: boolean): void {
    if (!this.labelledDevices.has(deviceId) && this.labelledDevices.size < DEVICE_LABEL_LIMIT) this.labelledDevices.add(deviceId);
    const device = this.labelledDevices.has(deviceId) ? deviceId : OTHER_DEVICES;
    this.deviceWindows.inc({ device, modality, anomalous: String(isAnomaly) });
  }
}

/** Marks the served set's versions in `modelInfo` (after a swap only the new ones are 1). */
export function recordServedModels(metrics: DetectorMetrics, served: readonly { modality: string; version: string }[]): void {
  metrics.modelInfo.reset();
  for (const m of served) metrics.modelInfo.set({ modality: m.modality, model_version: m.version }, 1);
}

/**
 * The detector's Prometheus metrics, on a registry of its own (so tests can create several detectors).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class DetectorMetrics {
  readonly registry = new Registry();
  readonly events = new Counter({ name: 'vigil_detector_events_total', help: 'Events consumed', labelNames: ['modality'], registers: [this.registry] });
  readonly lateEvents = new Counter({ name: 'vigil_detector_late_events_total', help: 'Events after their windows closed (sent to the late topic)', labelNames: ['modality'], registers: [this.registry] });
  readonly deadLettered = new Counter({ name: 'vigil_detector_dead_lettered_total', help: 'Messages sent to the dead-letter topic', labelNames: ['topic'], registers: [this.registry] });
  readonly windows = new Counter({ name: 'vigil_detector_windows_total', help: 'Windows scored', registers: [this.registry] });
  readonly missingModality = new Counter({ name: 'vigil_detector_missing_modality_total', help: 'Windows scored without an expected modality', labelNames: ['modality'], registers: [this.registry] });
  readonly anomalies = new Counter({ name: 'vigil_detector_anomalies_total', help: 'Windows flagged anomalous', labelNames: ['modality'], registers: [this.registry] });
  readonly consumerLag = new Gauge({ name: 'vigil_detector_consumer_lag', help: 'Offset lag of the last batch per partition', labelNames: ['topic', 'partition'], registers: [this.registry] });
  readonly windowLatency = new Histogram({
    name: 'vigil_detector_window_latency_seconds',
    help: 'Wall-clock time from a window closing (watermark passed) to its result being durable',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  /**
   * Where a window's time goes, per stage: `consume` = Kafka append of a batch's last event → its handler
   * starts; `score` = window closed → scored (micro-batch wait + model); `publish` = scored → result on the
   * results topic; `durable` = scored → in ClickHouse too (after which offsets may be committed).
   */
  readonly stageLatency = new Histogram({
    name: 'vigil_detector_stage_seconds',
    help: 'Time spent per pipeline stage (consume, score, publish, durable)',
    labelNames: ['stage'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly scoringLatency = new Histogram({
    name: 'vigil_detector_scoring_seconds',
    help: 'Model time per micro-batch',
    labelNames: ['modality'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });
  readonly flushLatency = new Histogram({ name: 'vigil_detector_flush_seconds', help: 'ClickHouse + Kafka write per flush', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [this.registry] });
  readonly modelSwaps = new Counter({ name: 'vigil_detector_model_swaps_total', help: 'Hot swaps to a newer model version', registers: [this.registry] });
  readonly activeDevices = new Gauge({ name: 'vigil_detector_active_devices', help: 'Devices with open windows', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_detector_' });
  }
}

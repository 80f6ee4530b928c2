/**
 * Prometheus metric names, as constants: services register their metrics under these names and the Grafana
 * dashboards and alert rules (dashboards/grafana) import the same constants, so a renamed metric breaks the
 * build instead of leaving an empty panel. Histograms expose `<name>_bucket|_sum|_count`.
 */
export const METRIC_PREFIX = { detector: 'vigil_detector_' } as const;

export const DETECTOR_METRICS = {
  events: 'vigil_detector_events_total',
  lateEvents: 'vigil_detector_late_events_total',
  deadLettered: 'vigil_detector_dead_lettered_total',
  windows: 'vigil_detector_windows_total',
  missingModality: 'vigil_detector_missing_modality_total',
  anomalies: 'vigil_detector_anomalies_total',
  sensorFaults: 'vigil_detector_sensor_faults_total',
  consumerLag: 'vigil_detector_consumer_lag',
  windowLatency: 'vigil_detector_window_latency_seconds',
  stageLatency: 'vigil_detector_stage_seconds',
  scoringLatency: 'vigil_detector_scoring_seconds',
  flushLatency: 'vigil_detector_flush_seconds',
  modelSwaps: 'vigil_detector_model_swaps_total',
  activeDevices: 'vigil_detector_active_devices',
  offlineDevices: 'vigil_detector_offline_devices',
  score: 'vigil_detector_score',
} as const;

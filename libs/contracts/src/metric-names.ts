/**
 * Prometheus metric names, as constants: services register their metrics under these names and the Grafana
 * dashboards and alert rules (dashboards/grafana) import the same constants, so a renamed metric breaks the
 * build instead of leaving an empty panel. Histograms expose `<name>_bucket|_sum|_count`.
 */
export const METRIC_PREFIX = { detector: 'vigil_detector_', api: 'vigil_api_', drift: 'vigil_drift_', trainer: 'vigil_trainer_' } as const;

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
  /** 1 per served model version, labelled `modality` and `model_version`: which model scores now. */
  modelInfo: 'vigil_detector_model_info',
  /**
   * Scored windows per device and modality, labelled `device`, `modality`, `anomalous`: the per-device anomaly
   * rate. The device label is bounded (the first DEVICE_LABEL_LIMIT devices an instance sees; the rest `_other`).
   */
  deviceWindows: 'vigil_detector_device_windows_total',
} as const;

export const API_METRICS = {
  requests: 'vigil_api_requests_total',
  requestLatency: 'vigil_api_request_seconds',
  rateLimited: 'vigil_api_rate_limited_total',
  predictions: 'vigil_api_predictions_total',
  feedback: 'vigil_api_feedback_total',
  socketClients: 'vigil_api_socket_clients',
  liveEvents: 'vigil_api_live_events_total',
  liveDropped: 'vigil_api_live_dropped_total',
  liveDeliveryLag: 'vigil_api_live_delivery_lag_seconds',
} as const;

export const DRIFT_METRICS = {
  latents: 'vigil_drift_latents_total',
  windowsTested: 'vigil_drift_windows_tested_total',
  events: 'vigil_drift_events_total',
  retrainRequests: 'vigil_drift_retrain_requests_total',
  retrainBlocked: 'vigil_drift_retrain_blocked_total',
  mmdPValue: 'vigil_drift_mmd_p_value',
  scorePsi: 'vigil_drift_score_psi',
  /** Smallest Benjamini–Hochberg-adjusted KS p-value over the latent dimensions of the last window. */
  ksMinPValue: 'vigil_drift_ks_min_adjusted_p_value',
  /** Mean per-dimension Wasserstein-1 distance of the last window to its reference. */
  wassersteinMean: 'vigil_drift_wasserstein_mean',
  testSeconds: 'vigil_drift_test_seconds',
  deadLettered: 'vigil_drift_dead_lettered_total',
  consumerLag: 'vigil_drift_consumer_lag',
} as const;

export const TRAINER_METRICS = {
  jobs: 'vigil_trainer_jobs_total',
  epoch: 'vigil_trainer_epoch',
  epochLoss: 'vigil_trainer_epoch_loss',
} as const;

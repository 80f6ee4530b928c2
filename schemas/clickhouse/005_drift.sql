-- Drift service (services/drift). One row per evaluated window and test (drifted or not), so dashboards can plot
-- the statistics over time; the DriftEvents on vigil.drift.events.v1 are the drifted subset. The event id is
-- deterministic (modality, model version, window, test): a replay after a crash inserts the same id again and
-- ReplacingMergeTree keeps one (read with FINAL). Runs on ClickHouse 18.16: no DateTime64, TTL or parameters.
CREATE TABLE IF NOT EXISTS {db}.drift_events
(
    event_id           String,
    detected_at_ms     UInt64,
    device_id          Nullable(String),
    modality           String,
    model_version      String,
    test               String,
    statistic          Float64,
    p_value            Nullable(Float64),
    threshold          Float64,
    drifted            UInt8,
    reference_start_ms UInt64,
    reference_end_ms   UInt64,
    current_start_ms   UInt64,
    current_end_ms     UInt64,
    detected_at        DateTime MATERIALIZED toDateTime(intDiv(detected_at_ms, 1000))
)
ENGINE = ReplacingMergeTree(detected_at_ms)
PARTITION BY toYYYYMM(detected_at)
ORDER BY (modality, model_version, current_end_ms, test, event_id);

-- The reference window of each model version (latent means and scores of its first normal windows, as JSON), so
-- a restarted drift service compares against the same reference instead of building a new one.
CREATE TABLE IF NOT EXISTS {db}.drift_references
(
    modality       String,
    model_version  String,
    created_at_ms  UInt64,
    reference_json String
)
ENGINE = ReplacingMergeTree(created_at_ms)
ORDER BY (modality, model_version);

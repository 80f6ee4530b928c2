-- One row per (device, window): the window's latest verdict. Replays and crash-restarts may insert a window
-- twice, possibly scored by a newer model after a hot swap; ReplacingMergeTree keeps the latest by
-- processed_at_ms (model_version says which model gave it), and readers use FINAL (or argMax) so they never
-- see the duplicate. Runs on ClickHouse 18.16 and current releases: no DateTime64, TTL or query parameters.
CREATE TABLE IF NOT EXISTS {db}.anomaly_results
(
    device_id          String,
    window_start_ms    UInt64,
    window_end_ms      UInt64,
    model_version      String,
    modalities         Array(String),
    modality_scores    Array(Float64),
    modality_thresholds Array(Float64),
    missing_modalities Array(String),
    fused_score        Float64,
    fused_threshold    Float64,
    is_anomaly         UInt8,
    root_cause_summary String,
    root_cause_json    String,
    processed_at_ms    UInt64,
    window_start       DateTime MATERIALIZED toDateTime(intDiv(window_start_ms, 1000))
)
ENGINE = ReplacingMergeTree(processed_at_ms)
PARTITION BY toYYYYMM(window_start)
ORDER BY (device_id, window_start_ms)

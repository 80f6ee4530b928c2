-- KernelSHAP explanations of flagged windows (the detector's root-cause worker, off the hot path), one row per
-- window and explained scorer, as published on vigil.root-cause.shap.v1: the API joins them to a window's result.
-- Best effort like the topic: a restart loses queued jobs; a re-explained window keeps the newest row (FINAL).
-- Runs on ClickHouse 18.16 and current releases: no DateTime64, TTL or query parameters.
CREATE TABLE IF NOT EXISTS {db}.shap_explanations
(
    device_id            String,
    window_start_ms      UInt64,
    window_end_ms        UInt64,
    modality             String,
    model_version        String,
    score                Float64,
    threshold            Float64,
    base_value           Float64,
    exact                UInt8,
    coalitions_evaluated UInt32,
    compute_ms           Float64,
    summary              String,
    contributions_json   String,
    processed_at_ms      UInt64,
    processed_at         DateTime MATERIALIZED toDateTime(intDiv(processed_at_ms, 1000))
)
ENGINE = ReplacingMergeTree(processed_at_ms)
PARTITION BY toYYYYMM(processed_at)
ORDER BY (device_id, window_start_ms, modality)

-- Operator feedback (confirm / dismiss a window's anomaly, label a range as a fault), one row per feedback id, as
-- published on vigil.operator.feedback.v1. A retried request may insert the same id twice: ReplacingMergeTree keeps
-- one, readers use FINAL. Runs on ClickHouse 18.16 and current releases: no DateTime64, TTL or query parameters.
CREATE TABLE IF NOT EXISTS {db}.operator_feedback
(
    feedback_id     String,
    created_at_ms   UInt64,
    device_id       String,
    kind            String,
    window_start_ms Nullable(UInt64),
    range_start_ms  UInt64,
    range_end_ms    UInt64,
    fault_type      Nullable(String),
    model_version   Nullable(String),
    operator        String,
    reason          String,
    created_at      DateTime MATERIALIZED toDateTime(intDiv(created_at_ms, 1000))
)
ENGINE = ReplacingMergeTree(created_at_ms)
PARTITION BY toYYYYMM(created_at)
ORDER BY (device_id, range_start_ms, feedback_id)

-- The encoder's posterior per window and modality: the drift service's history and the dashboards' latent views.
CREATE TABLE IF NOT EXISTS {db}.latent_vectors
(
    device_id       String,
    window_start_ms UInt64,
    window_end_ms   UInt64,
    modality        String,
    model_version   String,
    mean            Array(Float32),
    log_var         Array(Float32),
    score           Float64,
    processed_at_ms UInt64,
    window_start    DateTime MATERIALIZED toDateTime(intDiv(window_start_ms, 1000))
)
ENGINE = ReplacingMergeTree(processed_at_ms)
PARTITION BY toYYYYMM(window_start)
ORDER BY (device_id, modality, window_start_ms)

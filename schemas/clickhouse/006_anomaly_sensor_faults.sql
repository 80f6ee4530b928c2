-- Sensor health per window (AnomalyResult.sensorFaults): which channels' measurement is faulty, and how
-- (STUCK, DROPOUT, OUT_OF_RANGE, RATE_OF_CHANGE), kept apart from the process verdict (is_anomaly).
ALTER TABLE {db}.anomaly_results ADD COLUMN sensor_fault_channels Array(String) DEFAULT emptyArrayString();
ALTER TABLE {db}.anomaly_results ADD COLUMN sensor_fault_kinds Array(String) DEFAULT emptyArrayString()

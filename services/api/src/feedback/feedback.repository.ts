/** The only file that writes operator feedback: the Avro record to Kafka, the row to ClickHouse. */
import type { ClickHouseClient } from '@clickhouse/client';
import type { OperatorFeedback, TopicSpec } from '@vigil/contracts';
import type { AvroPublisher } from '@vigil/kafka';
import { sqlString } from '../anomalies/anomaly-query';

interface FeedbackRow {
  feedback_id: string;
  created_at_ms: string | number;
  device_id: string;
  kind: OperatorFeedback['kind'];
  window_start_ms: string | number | null;
  range_start_ms: string | number;
  range_end_ms: string | number;
  fault_type: string | null;
  model_version: string | null;
  operator: string;
  reason: string;
}

export class FeedbackRepository {
  constructor(
    private readonly publisher: AvroPublisher,
    private readonly topic: TopicSpec<OperatorFeedback>,
    private readonly client: ClickHouseClient,
    private readonly database: string,
  ) {}

  /** Kafka first: the topic is the contract downstream consumers read; the table serves this API's reads. */
  async save(f: OperatorFeedback): Promise<void> {
    await this.publisher.publish(this.topic, [{ key: f.deviceId, value: f }]);
    await this.client.insert({ table: `${this.database}.operator_feedback`, format: 'JSONEachRow', values: [toRow(f)] });
  }

  async forDevice(deviceId: string, limit: number): Promise<OperatorFeedback[]> {
    const rs = await this.client.query({
      query: `SELECT * FROM ${this.database}.operator_feedback FINAL WHERE device_id = ${sqlString(deviceId)} ORDER BY created_at_ms DESC LIMIT ${Math.floor(limit)}`,
      format: 'JSONEachRow',
    });
    return ((await rs.json()) as FeedbackRow[]).map(fromRow);
  }
}

function toRow(f: OperatorFeedback): FeedbackRow {
  return {
    feedback_id: f.feedbackId,
    created_at_ms: f.createdAtMs,
    device_id: f.deviceId,
    kind: f.kind,
    window_start_ms: f.windowStartMs,
    range_start_ms: f.rangeStartMs,
    range_end_ms: f.rangeEndMs,
    fault_type: f.faultType,
    model_version: f.modelVersion,
    operator: f.operator,
    reason: f.reason,
  };
}

function fromRow(r: FeedbackRow): OperatorFeedback {
  return {
    feedbackId: r.feedback_id,
    createdAtMs: Number(r.created_at_ms),
    deviceId: r.device_id,
    kind: r.kind,
    windowStartMs: r.window_start_ms === null ? null : Number(r.window_start_ms),
    rangeStartMs: Number(r.range_start_ms),
    rangeEndMs: Number(r.range_end_ms),
    faultType: r.fault_type,
    modelVersion: r.model_version,
    operator: r.operator,
    reason: r.reason,
  };
}

/**
 * Where the trainer's data comes from: sensor readings from the Kafka topic's retention (raw readings are not in
 * ClickHouse), filtered to the request's time range by event time; the ranges to exclude from ClickHouse —
 * windows the detector flagged (`anomaly_results`) and operator-confirmed anomalies and fault labels
 * (`operator_feedback`). The only file of the trainer that reads Kafka records or ClickHouse.
 *
 * Limitation: the topic is read from its start (readTopicToEnd); with weeks of retention a reader that seeks by
 * timestamp (admin.fetchTopicOffsetsByTimestamp) should replace it.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RetrainRequest, SensorReading, TopicSpec } from '@vigil/contracts';
import { type AvroSerde, readTopicToEnd } from '@vigil/kafka';
import type { Kafka } from 'kafkajs';
import { assembleNormalWindows, type TimeRange } from './normal-windows';
import type { TrainingDataSource } from './retrain.service';

export interface TrainingDataOptions {
  steps: number;
  stride: number;
  /** Default time range when the request names none. */
  lookbackMs: number;
}

export class TrainingDataRepository implements TrainingDataSource {
  constructor(
    private readonly kafka: Kafka,
    private readonly serde: AvroSerde,
    private readonly sensorTopic: TopicSpec<SensorReading>,
    private readonly clickhouse: ClickHouseClient,
    private readonly database: string,
    private readonly options: TrainingDataOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Windows of [dataFromMs, dataToMs] to learn from; the held-out set is the newest windows since dataFromMs. */
  async assemble(request: RetrainRequest) {
    const toMs = request.dataToMs ?? this.now();
    const fromMs = request.dataFromMs ?? toMs - this.options.lookbackMs;
    const records = await readTopicToEnd(this.kafka, this.sensorTopic, this.serde, 120_000);
    const byDevice = new Map<string, SensorReading[]>();
    for (const { value } of records) {
      // Readings after `toMs` too: the held-out set is the newest data, whatever range the challenger learns from.
      if (!value || value.eventTimeMs < fromMs) continue;
      const list = byDevice.get(value.deviceId) ?? [];
      list.push(value);
      byDevice.set(value.deviceId, list);
    }
    const first = [...byDevice.values()][0]?.[0];
    const channelNames = first ? Object.keys(first.values).sort() : [];
    const split = assembleNormalWindows(byDevice, await this.excludedRanges(fromMs, toMs, request.trigger === 'DRIFT'), {
      steps: this.options.steps,
      stride: this.options.stride,
      channelNames,
      trainRange: { startMs: fromMs, endMs: toMs },
    });
    return {
      ...split,
      channelNames,
      source: `${this.sensorTopic.name} ${new Date(fromMs).toISOString()}…${new Date(toMs).toISOString()}, ${byDevice.size} devices, ${split.excludedWindows} windows excluded`,
    };
  }

  /**
   * A drift-triggered request covers the drift episode (the drift service sets dataFromMs to its start): there
   * the champion flags the new regime itself, which is what the challenger must learn, so detector flags are
   * kept and only operator-confirmed anomalies and fault labels are excluded. Other requests (manual,
   * scheduled) exclude the detector's flagged windows too.
   */
  private async excludedRanges(fromMs: number, toMs: number, duringDrift: boolean): Promise<Map<string, TimeRange[]>> {
    const db = this.database;
    const flagged = `SELECT device_id, window_start_ms AS start_ms, window_end_ms AS end_ms FROM ${db}.anomaly_results FINAL WHERE is_anomaly = 1 AND window_end_ms >= ${fromMs} AND window_start_ms <= ${toMs}`;
    const queries = [
      ...(duringDrift ? [] : [flagged]),
      `SELECT device_id, range_start_ms AS start_ms, range_end_ms AS end_ms FROM ${db}.operator_feedback FINAL WHERE kind IN ('CONFIRM', 'LABEL_FAULT') AND range_end_ms >= ${fromMs} AND range_start_ms <= ${toMs}`,
    ];
    const ranges = new Map<string, TimeRange[]>();
    for (const query of queries) {
      const rows = (await (await this.clickhouse.query({ query, format: 'JSONEachRow' })).json()) as {
        device_id: string;
        start_ms: string | number;
        end_ms: string | number;
      }[];
      for (const row of rows) {
        const list = ranges.get(row.device_id) ?? [];
        list.push({ startMs: Number(row.start_ms), endMs: Number(row.end_ms) });
        ranges.set(row.device_id, list);
      }
    }
    return ranges;
  }
}

/**
 * Publishes Avro records to catalogue topics: an idempotent kafkajs producer (no duplicates on retry),
 * snappy compression, and one request per call however many messages it carries (callers batch).
 *
 * @example
 *   const pub = await AvroPublisher.connect({ brokers, registryUrl, clientId: 'sensor-sim' }, [TOPICS.sensorReadings]);
 *   await pub.publish(TOPICS.sensorReadings, [{ key: 'dev-0001', value: reading }]);
 *   await pub.close();
 */
import type { TopicSpec } from '@vigil/contracts';
import type { Kafka, Message, Producer } from 'kafkajs';
import { AvroSerde } from './avro-serde';
import { type Compression, compressionType, createKafka, type KafkaEndpoints } from './kafka-client';

export interface OutgoingRecord<T> {
  key: string;
  value: T;
  /** Kafka message timestamp (epoch ms); defaults to now, i.e. the send time. Event time lives in the record. */
  timestampMs?: number;
  headers?: Record<string, string>;
}

export interface PublisherOptions extends KafkaEndpoints {
  clientId: string;
  compression?: Compression;
}

export class AvroPublisher {
  /**
   * Sends go one after another. kafkajs's idempotent producer silently drops messages when several send()
   * calls overlap (tulios/kafkajs#1005, #353), and a service publishes from concurrent partition handlers.
   */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly producer: Producer,
    readonly serde: AvroSerde,
    private readonly compression: Compression,
  ) {}

  /** Connect and register the schemas of the topics this publisher will write. */
  static async connect(opts: PublisherOptions, topics: ReadonlyArray<TopicSpec<unknown>>, kafka?: Kafka): Promise<AvroPublisher> {
    const client = kafka ?? createKafka({ brokers: opts.brokers, clientId: opts.clientId });
    // Idempotence needs at most one in-flight request per connection in kafkajs.
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    const serde = AvroSerde.forUrl(opts.registryUrl);
    await serde.registerAll(topics);
    await producer.connect();
    return new AvroPublisher(producer, serde, opts.compression ?? 'snappy');
  }

  encode<T>(spec: TopicSpec<T>, records: ReadonlyArray<OutgoingRecord<T>>): Message[] {
    return records.map((r) => ({
      key: r.key,
      value: this.serde.encode(spec, r.value),
      timestamp: String(r.timestampMs ?? Date.now()),
      headers: r.headers,
    }));
  }

  async publish<T>(spec: TopicSpec<T>, records: ReadonlyArray<OutgoingRecord<T>>): Promise<void> {
    if (records.length === 0) return;
    const messages = this.encode(spec, records);
    await this.serialised(() => this.producer.send({ topic: spec.name, messages, compression: compressionType(this.compression) }));
  }

  /** Several topics in one produce request: e.g. results and latents of one micro-batch. */
  async publishMany(batches: ReadonlyArray<{ spec: TopicSpec<unknown>; records: ReadonlyArray<OutgoingRecord<unknown>> }>): Promise<void> {
    const topicMessages = batches.filter((b) => b.records.length > 0).map((b) => ({ topic: b.spec.name, messages: this.encode(b.spec, b.records) }));
    if (topicMessages.length > 0) await this.serialised(() => this.producer.sendBatch({ topicMessages, compression: compressionType(this.compression) }));
  }

  /** Raw bytes (already encoded), e.g. forwarding a late event unchanged. */
  async publishRaw(topic: string, messages: Message[]): Promise<void> {
    if (messages.length > 0) await this.serialised(() => this.producer.send({ topic, messages, compression: compressionType(this.compression) }));
  }

  private serialised<R>(send: () => Promise<R>): Promise<R> {
    const result = this.queue.then(send);
    this.queue = result.catch(() => undefined); // one failed send must not poison the ones queued after it
    return result;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}

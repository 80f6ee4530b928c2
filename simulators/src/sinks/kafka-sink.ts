/**
 * Publishes planned sends to Kafka as Avro (Confluent wire format, schemas registered under `<topic>-value`)
 * through `@vigil/kafka`'s AvroPublisher: one produce request per batch across the four topics, key = deviceId,
 * message timestamp = send time, event time inside the record. Counts messages and encoded bytes per stream.
 *
 * @example
 *   const sink = await KafkaSink.connect({ brokers: ['127.0.0.1:9092'], registryUrl, clientId: 'vigil-sim' });
 *   await sink.publish(batch);
 *   sink.stats.sensor; // { messages, bytes }
 *   await sink.close();
 */
import { TOPICS, type TopicSpec } from '@vigil/contracts';
import { AvroPublisher, createKafka, ensureTopics } from '@vigil/kafka';
import type { Message } from 'kafkajs';
import type { PlannedSend, Stream } from '../simulation/sim-event';
import type { EventSink } from './event-sink';

export type StreamTopics = Record<Stream, TopicSpec<unknown>>;

export const DEFAULT_STREAM_TOPICS: StreamTopics = {
  sensor: TOPICS.sensorReadings as TopicSpec<unknown>,
  audio: TOPICS.audioChunks as TopicSpec<unknown>,
  image: TOPICS.imageFrames as TopicSpec<unknown>,
  label: TOPICS.groundTruth as TopicSpec<unknown>,
};

export interface KafkaSinkOptions {
  brokers: string[];
  registryUrl: string;
  clientId: string;
  /** Topic per stream; tests pass renamed specs (random names). */
  topics?: StreamTopics;
  /** Create missing topics with the catalogue's partitions and retention (the broker does not auto-create). */
  ensureTopics?: boolean;
}

export type SinkStats = Record<Stream, { messages: number; bytes: number }>;

export class KafkaSink implements EventSink {
  readonly stats: SinkStats = { sensor: { messages: 0, bytes: 0 }, audio: { messages: 0, bytes: 0 }, image: { messages: 0, bytes: 0 }, label: { messages: 0, bytes: 0 } };

  private constructor(
    private readonly publisher: AvroPublisher,
    private readonly topics: StreamTopics,
  ) {}

  static async connect(opts: KafkaSinkOptions): Promise<KafkaSink> {
    const topics = opts.topics ?? DEFAULT_STREAM_TOPICS;
    const specs = Object.values(topics);
    if (opts.ensureTopics ?? true) {
      const admin = createKafka({ brokers: opts.brokers, clientId: `${opts.clientId}-admin` }).admin();
      await admin.connect();
      try {
        await ensureTopics(admin, specs);
      } finally {
        await admin.disconnect();
      }
    }
    const publisher = await AvroPublisher.connect({ brokers: opts.brokers, registryUrl: opts.registryUrl, clientId: opts.clientId }, specs as unknown as ReadonlyArray<TopicSpec<never>>);
    return new KafkaSink(publisher, topics);
  }

  async publish(batch: readonly PlannedSend[]): Promise<void> {
    const byStream = new Map<Stream, Message[]>();
    for (const send of batch) {
      // Encode here rather than in publishMany so the encoded size can be counted.
      const [message] = this.publisher.encode(this.topics[send.stream], [{ key: send.key, value: send.value, timestampMs: send.sendTimeMs }]);
      const messages = byStream.get(send.stream) ?? [];
      messages.push(message!);
      byStream.set(send.stream, messages);
      this.stats[send.stream].messages += 1;
      this.stats[send.stream].bytes += (message!.value as Buffer).length;
    }
    await Promise.all([...byStream].map(([stream, messages]) => this.publisher.publishRaw(this.topics[stream].name, messages)));
  }

  async close(): Promise<void> {
    await this.publisher.close();
  }
}

/**
 * A deserializer for the stock `@nestjs/microservices` Kafka transport that decodes Confluent Avro by topic.
 * Messages that cannot be decoded or validated go to the dead-letter topic and are handed to a no-op
 * pattern, so the stock server commits past them instead of blocking the partition.
 *
 * The stock server handles one message at a time: right for control topics (retrain requests, drift
 * events); the detector's hot path uses its own eachBatch transport.
 */
import type { ConsumerDeserializer, IncomingEvent } from '@nestjs/microservices';
import { type TopicSpec, VigilError } from '@vigil/contracts';
import type { AvroSerde } from '../avro-serde';
import type { DeadLetterPublisher } from '../dead-letters';

/** Event pattern that receives nothing but the fact that a message was dead-lettered. */
export const DEAD_LETTERED_PATTERN = 'vigil.dead-lettered';

interface KafkaRawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | undefined>;
}

export class AvroKafkaDeserializer implements ConsumerDeserializer {
  private readonly specs: Map<string, TopicSpec<unknown>>;

  constructor(
    private readonly serde: AvroSerde,
    private readonly deadLetters: DeadLetterPublisher,
    specs: ReadonlyArray<TopicSpec<unknown>>,
  ) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
  }

  async deserialize(raw: KafkaRawMessage, options?: { channel?: string }): Promise<IncomingEvent> {
    const topic = options?.channel ?? raw.topic;
    const spec = this.specs.get(topic);
    const value = typeof raw.value === 'string' ? Buffer.from(raw.value) : raw.value;
    try {
      if (!spec) throw new Error(`no Avro contract registered for topic ${topic}`);
      return { pattern: topic, data: await this.serde.decode(spec, value) };
    } catch (error) {
      if (error instanceof VigilError && error.retriable) throw error;
      const key = typeof raw.key === 'string' ? Buffer.from(raw.key) : raw.key;
      await this.deadLetters.publish([{ msg: { topic, partition: raw.partition, offset: raw.offset, key, value, headers: raw.headers }, error }]);
      return { pattern: DEAD_LETTERED_PATTERN, data: { topic, offset: raw.offset, reason: (error as Error).message } };
    }
  }
}

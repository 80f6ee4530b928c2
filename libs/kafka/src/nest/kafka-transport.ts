/**
 * The stock NestJS Kafka microservice, speaking our Avro contracts.
 *
 * @example
 *   const app = await NestFactory.createMicroservice(AppModule, avroKafkaTransport({ ... }));
 *   // controllers: @EventPattern(TOPICS.retrainRequests.name) handle(@Payload() req: RetrainRequest) {}
 */
import { type CustomStrategy, type KafkaContext, type KafkaOptions, type ReadPacket, ServerKafka } from '@nestjs/microservices';
import type { TopicSpec } from '@vigil/contracts';
import type { AvroSerde } from '../avro-serde';
import type { DeadLetterPublisher } from '../dead-letters';
import { AvroKafkaDeserializer, DEAD_LETTERED_PATTERN } from './avro-kafka.deserializer';

export interface AvroKafkaTransportOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  serde: AvroSerde;
  deadLetters: DeadLetterPublisher;
  topics: ReadonlyArray<TopicSpec<unknown>>;
  /**
   * Where a consumer group with no committed offsets starts. Default false (latest): a new control-plane
   * consumer should not replay old retrain requests. Tests set true, because ServerKafka's listen() resolves
   * before the group has joined, and a message published in between would otherwise be skipped.
   */
  fromBeginning?: boolean;
}

/**
 * ServerKafka subscribes to every registered pattern as a topic, so the dead-lettered marker cannot be an
 * @EventPattern; this subclass acknowledges it here instead (the deserializer already published the letter).
 */
class AvroServerKafka extends ServerKafka {
  override async handleEvent(pattern: string, packet: ReadPacket, context: KafkaContext): Promise<unknown> {
    if (pattern === DEAD_LETTERED_PATTERN) return undefined;
    return super.handleEvent(pattern, packet, context);
  }
}

export function avroKafkaTransport(opts: AvroKafkaTransportOptions): CustomStrategy {
  const options: KafkaOptions['options'] = {
    client: { clientId: opts.clientId, brokers: opts.brokers },
    consumer: { groupId: opts.groupId, allowAutoTopicCreation: false },
    subscribe: { fromBeginning: opts.fromBeginning ?? false },
    // Keep values as Buffers: the Avro deserializer needs the raw bytes.
    parser: { keepBinary: true },
    deserializer: new AvroKafkaDeserializer(opts.serde, opts.deadLetters, opts.topics),
  };
  return { strategy: new AvroServerKafka(options) };
}

/**
 * Options for the stock NestJS Kafka microservice that speak our Avro contracts.
 *
 * @example
 *   const app = await NestFactory.createMicroservice(AppModule, avroKafkaTransport({ ... }));
 *   // controllers: @EventPattern(TOPICS.retrainRequests.name) handle(@Payload() req: RetrainRequest) {}
 */
import { type KafkaOptions, Transport } from '@nestjs/microservices';
import type { TopicSpec } from '@vigil/contracts';
import type { AvroSerde } from '../avro-serde';
import type { DeadLetterPublisher } from '../dead-letters';
import { AvroKafkaDeserializer } from './avro-kafka.deserializer';

export interface AvroKafkaTransportOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  serde: AvroSerde;
  deadLetters: DeadLetterPublisher;
  topics: ReadonlyArray<TopicSpec<unknown>>;
}

export function avroKafkaTransport(opts: AvroKafkaTransportOptions): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: { clientId: opts.clientId, brokers: opts.brokers },
      consumer: { groupId: opts.groupId, allowAutoTopicCreation: false },
      subscribe: { fromBeginning: false },
      // Keep values as Buffers: the Avro deserializer needs the raw bytes.
      parser: { keepBinary: true },
      deserializer: new AvroKafkaDeserializer(opts.serde, opts.deadLetters, opts.topics),
    },
  };
}

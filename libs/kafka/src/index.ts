export * from './avro-publisher';
export * from './avro-serde';
export * from './dead-letters';
export * from './decoding-consumer';
export * from './kafka-client';
export * from './topic-admin';
export { AvroKafkaDeserializer, DEAD_LETTERED_PATTERN } from './nest/avro-kafka.deserializer';
export { avroKafkaTransport, type AvroKafkaTransportOptions } from './nest/kafka-transport';
export * from './topic-reader';

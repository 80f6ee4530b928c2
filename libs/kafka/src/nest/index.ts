/**
 * `@vigil/kafka/nest`: the NestJS side of the Kafka plumbing, apart from the main entry so processes without
 * Nest (the simulators, scripts) never load it.
 */
export { AvroKafkaDeserializer, DEAD_LETTERED_PATTERN } from './avro-kafka.deserializer';
export { avroKafkaTransport, type AvroKafkaTransportOptions } from './kafka-transport';
export { BatchKafkaServer, type BatchContext, type BatchKafkaServerOptions, type BatchRoute } from './batch-kafka.server';

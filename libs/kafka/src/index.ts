export * from './avro-publisher';
export * from './avro-serde';
export * from './dead-letters';
export * from './decoding-consumer';
export * from './kafka-client';
export * from './topic-admin';
export * from './retriable';
export * from './topic-reader';

/**
 * npm run kafka:setup — create/update every catalogue topic and register every schema, idempotently.
 * Reads the Kafka and schema-registry config fragments (VIGIL_KAFKA_*, VIGIL_SCHEMA_REGISTRY_URL), defaulting
 * to the local stack.
 */
import { ALL_TOPICS } from '@vigil/contracts';
import { kafkaConfig, loadConfig, schemaRegistryConfig } from '@vigil/config';
import { AvroSerde } from './avro-serde';
import { createKafka, kafkaConnection } from './kafka-client';
import { ensureTopics } from './topic-admin';

async function main(): Promise<void> {
  const cfg = loadConfig(kafkaConfig.merge(schemaRegistryConfig), undefined, 'kafka:setup');
  const registryUrl = cfg.VIGIL_SCHEMA_REGISTRY_URL;
  const admin = createKafka({ ...kafkaConnection(cfg), clientId: 'vigil-admin' }).admin();
  await admin.connect();
  try {
    for (const change of await ensureTopics(admin, ALL_TOPICS)) console.log(`topic   ${change.topic.padEnd(32)} ${change.action}`);
  } finally {
    await admin.disconnect();
  }
  const serde = AvroSerde.forUrl(registryUrl);
  for (const spec of ALL_TOPICS) console.log(`schema  ${`${spec.name}-value`.padEnd(32)} id ${await serde.register(spec)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

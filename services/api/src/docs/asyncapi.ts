/**
 * The AsyncAPI 3 document of Vigil's public topics, generated from the topic catalogue (`TOPICS`: names, keys,
 * partitions, retention, compaction) and the bundled Avro schemas it carries (generated from `schemas/avro`), so
 * downstream teams read the same contract the services are built on. Served at /asyncapi.json.
 */
import { type AnyTopicSpec, TOPICS, type TopicKey } from '@vigil/contracts';

/** What programs downstream of Vigil read (the inputs and internal state topics are not part of the contract). */
export const PUBLIC_TOPICS: readonly TopicKey[] = ['anomalyResults', 'latentVectors', 'driftEvents', 'operatorFeedback', 'deadLetters'];

const KEY_DOCS: Record<AnyTopicSpec['key'], string> = {
  deviceId: 'The device id: one device stays ordered on one partition.',
  modality: 'The modality (SENSOR, AUDIO, IMAGE, FUSED), or the device id when the event is scoped to one device.',
  requestId: 'The request id.',
  originalKey: 'The key of the message that could not be processed.',
};

export interface AsyncApiOptions {
  brokers: readonly string[];
  registryUrl: string;
}

export function buildAsyncApiDocument(opts: AsyncApiOptions) {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const key of PUBLIC_TOPICS) {
    const spec = TOPICS[key] as AnyTopicSpec;
    const schema = spec.schema as { name: string; doc?: string };
    messages[schema.name] = {
      name: schema.name,
      title: schema.name,
      summary: schema.doc,
      contentType: 'application/vnd.apache.avro',
      payload: { schemaFormat: 'application/vnd.apache.avro+json;version=1.9.0', schema: spec.schema },
      bindings: {
        kafka: {
          bindingVersion: '0.5.0',
          key: { type: 'string', description: KEY_DOCS[spec.key] },
          schemaIdLocation: 'payload',
          schemaIdPayloadEncoding: 'confluent',
          schemaLookupStrategy: 'TopicNameStrategy',
        },
      },
    };
    channels[key] = {
      address: spec.name,
      description: `Subject \`${spec.name}-value\` in the schema registry (BACKWARD compatibility).`,
      messages: { [schema.name]: { $ref: `#/components/messages/${schema.name}` } },
      bindings: {
        kafka: {
          bindingVersion: '0.5.0',
          topic: spec.name,
          partitions: spec.partitions,
          replicas: spec.replicationFactor,
          topicConfiguration: { 'cleanup.policy': [spec.cleanupPolicy], 'retention.ms': spec.retentionMs },
        },
      },
    };
    operations[`receive${schema.name}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${key}` },
      messages: [{ $ref: `#/channels/${key}/messages/${schema.name}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Vigil public topics',
      version: '1.0.0',
      description: `Kafka topics other programs may consume. Values are Avro in the Confluent wire format (magic byte + schema id); schemas are served by the registry at ${opts.registryUrl}.`,
    },
    defaultContentType: 'application/vnd.apache.avro',
    servers: Object.fromEntries(opts.brokers.map((b, i) => [`broker${i}`, { host: b, protocol: 'kafka', description: 'Kafka broker' }])),
    channels,
    operations,
    components: { messages },
  };
}

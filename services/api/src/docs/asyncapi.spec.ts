/**
 * The AsyncAPI document against its sources: every public topic of the catalogue is a channel with its real
 * name, key, partitions, retention and compaction, and its message payload is the Avro schema in schemas/avro
 * (same record, same fields in the same order, same types once bundled).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TOPICS, type AnyTopicSpec } from '@vigil/contracts';
import { describe, expect, it } from 'vitest';
import { buildAsyncApiDocument, PUBLIC_TOPICS } from './asyncapi';

const AVRO_DIR = resolve(__dirname, '..', '..', '..', '..', 'schemas', 'avro');
const avscByName = new Map(
  readdirSync(AVRO_DIR)
    .filter((f) => f.endsWith('.avsc'))
    .map((f) => JSON.parse(readFileSync(join(AVRO_DIR, f), 'utf8')) as { name: string; fields?: Array<{ name: string }> })
    .map((s) => [s.name, s]),
);

type Doc = ReturnType<typeof buildAsyncApiDocument> & {
  channels: Record<
    string,
    { address: string; messages: Record<string, { $ref: string }>; bindings: { kafka: { partitions: number; topicConfiguration: Record<string, unknown> } } }
  >;
  operations: Record<string, { action: string; channel: { $ref: string } }>;
  components: {
    messages: Record<
      string,
      { payload: { schemaFormat: string; schema: { name: string; fields: Array<{ name: string }> } }; bindings: { kafka: { key: { description: string } } } }
    >;
  };
};

describe('AsyncAPI document', () => {
  const doc = buildAsyncApiDocument({ brokers: ['kafka-0:9092'], registryUrl: 'http://registry:8081' }) as Doc;

  it('is AsyncAPI 3 with one channel and one receive operation per public topic', () => {
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.keys(doc.channels).sort()).toEqual([...PUBLIC_TOPICS].sort());
    expect(PUBLIC_TOPICS).toEqual(expect.arrayContaining(['anomalyResults', 'latentVectors', 'driftEvents', 'operatorFeedback', 'deadLetters']));
    for (const op of Object.values(doc.operations)) {
      expect(op.action).toBe('receive');
      expect(Object.keys(doc.channels)).toContain(op.channel.$ref.replace('#/channels/', ''));
    }
  });

  it.each(PUBLIC_TOPICS)('describes %s as the catalogue and schemas/avro do', (key) => {
    const spec = TOPICS[key] as AnyTopicSpec;
    const channel = doc.channels[key]!;
    expect(channel.address).toBe(spec.name);
    expect(channel.bindings.kafka.partitions).toBe(spec.partitions);
    expect(channel.bindings.kafka.topicConfiguration).toEqual({ 'cleanup.policy': [spec.cleanupPolicy], 'retention.ms': spec.retentionMs });
    const [ref] = Object.values(channel.messages);
    const message = doc.components.messages[ref!.$ref.replace('#/components/messages/', '')]!;
    expect(message.payload.schemaFormat).toMatch(/^application\/vnd\.apache\.avro\+json/);
    expect(message.payload.schema).toEqual(spec.schema);
    const source = avscByName.get(message.payload.schema.name);
    expect(source, `schemas/avro has ${message.payload.schema.name}`).toBeDefined();
    expect(message.payload.schema.fields.map((f) => f.name)).toEqual(source!.fields!.map((f) => f.name));
    expect(message.bindings.kafka.key.description.length).toBeGreaterThan(0);
  });
});

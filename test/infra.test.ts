import { createClient } from '@clickhouse/client';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';

/** The foundation's promise: real Kafka, a real Confluent-compatible registry and real ClickHouse answer. */
const stack = inject('stack');

describe('local stack', () => {
  it('produces and consumes through Kafka', async () => {
    const kafka = new Kafka({ clientId: 'infra-test', brokers: stack.kafkaBrokers, logLevel: logLevel.NOTHING });
    const topic = uniqueName('infra-smoke');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [1, 2, 3].map((i) => ({ key: 'dev-1', value: `reading-${i}` })) });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('infra-smoke-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value?.toString() ?? '');
          if (received.length === 3) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(received).toEqual(['reading-1', 'reading-2', 'reading-3']);
  });

  it('registers an Avro schema and round-trips a record in Confluent wire format', async () => {
    const registry = new SchemaRegistry({ host: stack.registryUrl });
    const schema = {
      type: 'record',
      name: 'Smoke',
      namespace: 'dev.vigil.test',
      fields: [
        { name: 'device', type: 'string' },
        { name: 'value', type: 'double' },
      ],
    };
    const subject = `${uniqueName('infra-smoke')}-value`;
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    const again = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(schema) }, { subject });
    expect(again.id).toBe(id); // registering the same schema is idempotent

    const encoded = await registry.encode(id, { device: 'dev-1', value: 42.5 });
    expect(encoded[0]).toBe(0); // magic byte
    expect(encoded.readInt32BE(1)).toBe(id);
    // A fresh client has no cache: decoding must fetch the schema by id from the server.
    const decoded = await new SchemaRegistry({ host: stack.registryUrl }).decode(encoded);
    expect(decoded).toEqual({ device: 'dev-1', value: 42.5 });
  });

  describe('ClickHouse', () => {
    const client = createClient({ url: stack.clickhouseUrl });
    const table = uniqueTableName('infra_smoke');
    afterAll(async () => {
      await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
      await client.close();
    });

    it('creates a MergeTree table, inserts and selects rows', async () => {
      await client.command({
        query: `CREATE TABLE ${table} (device String, ts DateTime, value Float64) ENGINE = MergeTree() ORDER BY (device, ts)`,
      });
      await client.insert({
        table,
        format: 'JSONEachRow',
        values: [
          { device: 'dev-1', ts: '2026-01-01 00:00:00', value: 1.5 },
          { device: 'dev-2', ts: '2026-01-01 00:00:01', value: 2.5 },
        ],
      });
      const rs = await client.query({ query: `SELECT device, value FROM ${table} ORDER BY device`, format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([
        { device: 'dev-1', value: 1.5 },
        { device: 'dev-2', value: 2.5 },
      ]);
    });
  });
});

import { type DeadLetter, SAMPLE_RECORDS, type SensorReading, TOPICS, renamed } from '@vigil/contracts';
import { uniqueName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { AvroPublisher } from './avro-publisher';
import { DeadLetterPublisher } from './dead-letters';
import { runDecodingConsumer, subscription } from './decoding-consumer';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topic-admin';

const stack = inject('stack');

/** Poll until `check` passes or the deadline expires (consumers need a moment to join and fetch). */
async function eventually(check: () => void, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('decoding consumer with dead letters (real broker + registry)', () => {
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'dlq-test', logLevel: logLevel.NOTHING });
  const readings = renamed(TOPICS.sensorReadings, uniqueName('dlq-readings'));
  const labels = renamed(TOPICS.groundTruth, uniqueName('dlq-labels'));
  const deadLetterTopic = renamed(TOPICS.deadLetters, uniqueName('dlq-dead'));
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('dead-letters garbage and foreign records with the reason, and processes the good ones after them', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      [readings, labels, deadLetterTopic].map((s) => ({ ...s, partitions: 1 })),
    );
    await admin.disconnect();

    const publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'dlq-test' },
      [readings, labels, deadLetterTopic],
      kafka,
    );
    cleanup.push(() => publisher.close());

    const good = (seq: number): SensorReading => ({ ...SAMPLE_RECORDS.sensorReadings, seq });
    const foreign = publisher.encode(labels, [{ key: 'dev-0001', value: SAMPLE_RECORDS.groundTruth }])[0]!;
    await publisher.publish(readings, [{ key: 'dev-0001', value: good(1) }]);
    await publisher.publishRaw(readings.name, [{ key: 'dev-0001', value: Buffer.from('not avro at all') }]);
    await publisher.publishRaw(readings.name, [{ ...foreign }]);
    await publisher.publish(readings, [
      { key: 'dev-0001', value: good(2) },
      { key: 'dev-0001', value: good(3) },
    ]);

    const received: number[] = [];
    const groupId = uniqueName('dlq-group');
    const consumer = await runDecodingConsumer({
      kafka,
      groupId,
      serde: publisher.serde,
      deadLetters: new DeadLetterPublisher(publisher, groupId, deadLetterTopic),
      fromBeginning: true,
      subscriptions: [subscription(readings, async (records) => void received.push(...records.map((r) => r.value.seq)))],
    });
    cleanup.push(() => consumer.stop());
    await eventually(() => expect(received).toEqual([1, 2, 3]));

    // The dead-letter topic holds both bad messages, with origin, untouched bytes and reason.
    const letters: DeadLetter[] = [];
    const reader = kafka.consumer({ groupId: uniqueName('dlq-reader') });
    await reader.connect();
    cleanup.push(() => reader.disconnect());
    await reader.subscribe({ topic: deadLetterTopic.name, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void letters.push(await publisher.serde.decode(deadLetterTopic, message.value)) });
    await eventually(() => expect(letters).toHaveLength(2));

    expect(letters.map((l) => [l.sourceTopic, l.sourceOffset, l.consumerGroup, l.errorClass])).toEqual([
      [readings.name, '1', groupId, 'DecodeError'],
      [readings.name, '2', groupId, 'SchemaMismatchError'],
    ]);
    expect(letters[0]!.originalValue?.toString()).toBe('not avro at all');
    expect(letters[1]!.errorMessage).toMatch(/GroundTruthLabel.*cannot be read as dev\.vigil\.v1\.SensorReading/);
    expect(letters[1]!.originalValue?.equals(foreign.value as Buffer)).toBe(true);

    // Offsets were committed past the bad messages: the partition is not blocked.
    const admin2 = kafka.admin();
    await admin2.connect();
    const [committed] = await admin2.fetchOffsets({ groupId, topics: [readings.name] });
    await admin2.disconnect();
    expect(committed?.partitions[0]?.offset).toBe('5');
  });
});

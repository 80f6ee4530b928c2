import { TOPICS, renamed } from '@vigil/contracts';
import { uniqueName } from '@vigil/testing';
import { ConfigResourceTypes, logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topic-admin';

const stack = inject('stack');

describe('ensureTopics (real broker)', () => {
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'topic-admin-test', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const results = renamed(TOPICS.anomalyResults, uniqueName('admin-results'));
  const stamped = renamed(TOPICS.sensorReadings, uniqueName('admin-stamped'));
  afterAll(async () => {
    await admin.deleteTopics({ topics: [results.name, stamped.name] }).catch(() => {});
    await admin.disconnect();
  });

  it('creates a topic named twice in the list once, and leaves it alone the next time', async () => {
    await admin.connect();
    const first = await ensureTopics(admin, [results, { ...results }]);
    expect(first).toEqual([{ topic: results.name, action: 'created' }]);
    const again = await ensureTopics(admin, [results, results]);
    expect(again.map((c) => c.topic)).toEqual([results.name]);
    expect(again[0]?.action).not.toBe('created');
  });

  it('brings retention in line without resetting a setting it does not manage', async () => {
    await admin.connect();
    // Made by hand, say by an operator: the broker's stamp instead of the producer's, and no retention of ours.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: stamped.name, numPartitions: stamped.partitions, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }],
    });
    const changes = await ensureTopics(admin, [stamped]);
    expect(changes).toEqual([{ topic: stamped.name, action: 'configs-updated' }]);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: stamped.name, configNames: ['message.timestamp.type', 'retention.ms'] }],
    });
    const value = (name: string) => described.resources[0]?.configEntries.find((c) => c.configName === name)?.configValue;
    expect(value('retention.ms')).toBe(String(stamped.retentionMs));
    expect(value('message.timestamp.type')).toBe('LogAppendTime');
  });
});

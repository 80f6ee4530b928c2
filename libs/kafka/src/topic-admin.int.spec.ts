import { TOPICS, renamed } from '@vigil/contracts';
import { uniqueName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafka } from './kafka-client';
import { ensureTopics } from './topic-admin';

const stack = inject('stack');

describe('ensureTopics (real broker)', () => {
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'topic-admin-test', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const results = renamed(TOPICS.anomalyResults, uniqueName('admin-results'));
  afterAll(async () => {
    await admin.deleteTopics({ topics: [results.name] }).catch(() => {});
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
});

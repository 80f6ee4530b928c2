/**
 * The contract downstream teams rely on, checked from another language: a sample of every public topic's record
 * is published by our AvroPublisher (Confluent wire format against our registry), and a Python program using
 * confluent-kafka's schema-registry Avro deserializer (from PyPI, in a venv cached under ~/.cache/vigil) decodes
 * each back to the same values.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type AnyTopicSpec, SAMPLE_RECORDS, TOPICS, withSuffix } from '@vigil/contracts';
import { AvroPublisher, createKafka, ensureTopics } from '@vigil/kafka';
import { uniqueName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import { PUBLIC_TOPICS } from '../../services/api/src/docs/asyncapi';

const stack = inject('stack');
const ROOT = resolve(__dirname, '..', '..');
const suffix = `.${uniqueName('py')}`;

/** JSON as Python prints it: Buffers as base64. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

describe('a Python confluent-kafka client', () => {
  it('decodes every public topic against our registry', async () => {
    const python = execFileSync('bash', [resolve(ROOT, 'services/api/scripts/python-venv.sh')], { encoding: 'utf8' }).trim();
    const specs = PUBLIC_TOPICS.map((key) => ({ key, spec: withSuffix(TOPICS[key] as AnyTopicSpec, suffix) }));
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'py-contract', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(
      admin,
      specs.map((s) => s.spec),
    );
    await admin.disconnect();
    const publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'py-contract' },
      specs.map((s) => s.spec),
      kafka,
    );
    for (const { key, spec } of specs) await publisher.publish(spec, [{ key: `k-${key}`, value: SAMPLE_RECORDS[key] }]);
    await publisher.close();

    const run = spawnSync(
      python,
      [
        resolve(__dirname, 'python', 'decode_topics.py'),
        '--brokers',
        stack.kafkaBrokers.join(','),
        '--registry',
        stack.registryUrl,
        ...specs.flatMap((s) => ['--topic', `${s.spec.name}=1`]),
      ],
      { encoding: 'utf8', timeout: 90_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    const decoded = new Map(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { topic: string; key: string; value: unknown })
        .map((m) => [m.topic, m]),
    );
    for (const { key, spec } of specs) {
      expect(decoded.get(spec.name), spec.name).toEqual({ topic: spec.name, key: `k-${key}`, value: plain(SAMPLE_RECORDS[key]) });
    }
  });
});

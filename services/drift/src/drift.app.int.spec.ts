/**
 * The drift service on the real stack (in-process, its own topic suffix and ClickHouse database): latents of a
 * stable regime, then a shifted one → drift events on Kafka and rows in ClickHouse, exactly one retrain request,
 * and the counters on /metrics.
 */
import { createClient } from '@clickhouse/client';
import type { INestApplication } from '@nestjs/common';
import type { LatentVector, RetrainRequest } from '@vigil/contracts';
import { seededRandom } from '@vigil/features';
import { AvroPublisher, createKafka, readTopicToEnd } from '@vigil/kafka';
import { createServiceLogger } from '@vigil/service';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDriftConfig } from './config/drift.config';
import { driftTopics } from './config/drift-topics';
import { startDrift } from './drift.app';

const stack = inject('stack');
const database = uniqueTableName('drift');
const cfg = parseDriftConfig({
  VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
  VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
  VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
  VIGIL_CLICKHOUSE_DATABASE: database,
  DRIFT_TOPIC_SUFFIX: `.${uniqueName('drift')}`,
  DRIFT_HTTP_HOST: '127.0.0.1',
  DRIFT_HTTP_PORT: '0',
  DRIFT_GROUP_ID: uniqueName('drift-group'),
  DRIFT_REFERENCE_SIZE: '100',
  DRIFT_WINDOW_SIZE: '50',
  DRIFT_HOP: '50',
  DRIFT_COOLDOWN_MS: '0',
  DRIFT_MIN_NORMAL_SAMPLES: '100',
  DRIFT_PARTITION_CONCURRENCY: '1',
  DRIFT_FROM_BEGINNING: 'true',
  VIGIL_LOG_LEVEL: 'warn',
});
const topics = driftTopics(cfg);

function latents(seed: number, count: number, shift: number, fromMs: number): LatentVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    deviceId: 'dev-0001', // one key: one partition, so the service sees the stream in order
    windowStartMs: fromMs + i * 1000,
    windowEndMs: fromMs + i * 1000 + 3000,
    modality: 'SENSOR',
    mean: Array.from({ length: 8 }, () => random.normal(shift, 1)),
    logVar: Array.from({ length: 8 }, () => -1),
    score: Math.abs(random.normal(1 + shift, 0.2)),
    modelVersion: 'pump-synthetic@v1',
  }));
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('drift service (real Kafka, registry and ClickHouse)', () => {
  let app: INestApplication;
  let publisher: AvroPublisher;
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'drift-int-spec', logLevel: logLevel.NOTHING });
  const clickhouse = createClient({ url: stack.clickhouseUrl });

  beforeAll(async () => {
    app = await startDrift(cfg, createServiceLogger({ service: 'drift', level: 'warn' }));
    publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'drift-int-spec' },
      [topics.latents],
      kafka,
    );
  });

  afterAll(async () => {
    await publisher?.close();
    await app?.close();
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  });

  it('a regime shift gives drift events, rows and one retrain request', async () => {
    const stream = [...latents(1, 250, 0, 1_000_000), ...latents(2, 300, 0.8, 2_000_000)];
    await publisher.publish(
      topics.latents,
      stream.map((value) => ({ key: value.deviceId, value })),
    );

    const rows = await eventually(async () => {
      const result = await clickhouse.query({ query: `SELECT test, drifted FROM ${database}.drift_events FINAL`, format: 'JSONEachRow' });
      const all = (await result.json()) as { test: string; drifted: number }[];
      return all.length >= 9 * 4 ? all : undefined;
    });
    expect(rows.filter((r) => r.test === 'MMD').length).toBe(9);
    expect(rows.filter((r) => r.test === 'MMD' && Number(r.drifted) === 1).length).toBeGreaterThanOrEqual(6);

    const requests = await eventually(async () => {
      const records = await readTopicToEnd<RetrainRequest>(kafka, topics.retrainRequests, publisher.serde);
      return records.length > 0 ? records : undefined;
    });
    expect(requests).toHaveLength(1);
    expect(requests[0]!.value).toMatchObject({ modality: 'SENSOR', trigger: 'DRIFT', currentModelVersion: 'pump-synthetic@v1' });
    const events = await readTopicToEnd(kafka, topics.driftEvents, publisher.serde);
    expect(events.length).toBeGreaterThanOrEqual(6);

    const metrics = await (await fetch(`${(await app.getUrl()).replace('[::1]', '127.0.0.1')}/metrics`)).text();
    expect(metrics).toMatch(/vigil_drift_retrain_requests_total\{modality="SENSOR",reason="drift-persisted"\} 1/);
    expect(metrics).toMatch(/vigil_drift_latents_total\{modality="SENSOR"\} 550/);
  });
});

/**
 * The trainer on the real stack (in-process; its own topic suffix, ClickHouse database and registry folder):
 * the served champion is the committed pump model; the fleet's sensors then run in a shifted regime. A retrain
 * request → normal windows assembled from Kafka retention → a challenger trained in the worker through
 * trainAndRegister() → judged on the same held-out windows as the champion → promoted (a new served v2, the
 * version the detector's model watcher swaps to). A second request on the same regime trains a challenger that
 * is not better than the new champion: registered, not promoted.
 */
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { INestApplication } from '@nestjs/common';
import type { RetrainRequest, SensorReading } from '@vigil/contracts';
import { AvroPublisher, createKafka } from '@vigil/kafka';
import { ModelRegistry, readLocalRun } from '@vigil/ml';
import { createServiceLogger } from '@vigil/service';
import { planRun, validateScenario } from '@vigil/simulators';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseTrainerConfig } from './config/trainer.config';
import type { JobOutcome } from './retraining/retrain.service';
import { RetrainService } from './retraining/retrain.service';
import { startTrainer } from './trainer.app';
import { trainerTopics } from './trainer.module';

const stack = inject('stack');
const START_MS = Date.UTC(2026, 5, 1);
const root = mkdtempSync(join(tmpdir(), 'vigil-trainer-int-'));
cpSync(resolve(__dirname, '..', '..', '..', 'models', 'sensor', 'pump-synthetic', 'v1'), join(root, 'models', 'pump-synthetic', 'v1'), { recursive: true });
const database = uniqueTableName('trainer');
const cfg = parseTrainerConfig({
  VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
  VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
  VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
  VIGIL_CLICKHOUSE_DATABASE: database,
  TRAINER_TOPIC_SUFFIX: `.${uniqueName('trainer')}`,
  TRAINER_GROUP_ID: uniqueName('trainer-group'),
  TRAINER_HTTP_HOST: '127.0.0.1',
  TRAINER_HTTP_PORT: '0',
  TRAINER_REGISTRY_ROOT: join(root, 'models'),
  TRAINER_RUNS_DIR: join(root, 'runs'),
  TRAINER_WORK_DIR: join(root, 'work'),
  TRAINER_WINDOW_STRIDE: '10',
  TRAINER_EPOCHS: '8',
  TRAINER_MIN_TRAIN_WINDOWS: '100',
  TRAINER_FROM_BEGINNING: 'true',
  VIGIL_LOG_LEVEL: 'warn',
});
const topics = trainerTopics(cfg);

/** The simulated fleet after a change of operating point: higher discharge pressure and current, hotter bearings. */
function shiftedReadings(): SensorReading[] {
  const scenario = validateScenario({
    name: 'shift',
    seed: 31,
    durationS: 300,
    fleet: [{ name: 'pumps', count: 3, sensor: { source: 'synthetic', rateHz: 10 } }],
    timing: { latencyMs: 0, jitterMs: 0 },
  });
  const out: SensorReading[] = [];
  for (const batch of planRun(scenario, { startMs: START_MS, streams: new Set(['sensor']) }).batches()) {
    for (const send of batch) {
      if (send.stream !== 'sensor') continue;
      const r = send.value as SensorReading;
      out.push({
        ...r,
        values: { ...r.values, pressure: r.values.pressure! * 1.4, motor_current: r.values.motor_current! * 1.3, bearing_temp: r.values.bearing_temp! + 10 },
      });
    }
  }
  return out;
}

const request = (requestId: string): RetrainRequest => ({
  requestId,
  requestedAtMs: Date.now(),
  modality: 'SENSOR',
  trigger: 'DRIFT',
  reason: 'int spec',
  driftEventId: null,
  currentModelVersion: 'pump-synthetic@v1',
  dataFromMs: START_MS,
  dataToMs: START_MS + 300_000,
});

async function outcomeOf(service: RetrainService, requestId: string, timeoutMs = 240_000): Promise<JobOutcome> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const last = service.status().last;
    if (last?.requestId === requestId) return last;
    if (Date.now() > until) throw new Error(`no outcome for ${requestId}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('trainer (real Kafka, registry and ClickHouse; training in a worker)', () => {
  let app: INestApplication;
  let publisher: AvroPublisher;
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'trainer-int-spec', logLevel: logLevel.NOTHING });

  beforeAll(async () => {
    app = await startTrainer(cfg, createServiceLogger({ service: 'trainer', level: 'warn' }));
    publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'trainer-int-spec' },
      [topics.sensor, topics.retrainRequests],
      kafka,
    );
    const readings = shiftedReadings();
    for (let i = 0; i < readings.length; i += 2000)
      await publisher.publish(
        topics.sensor,
        readings.slice(i, i + 2000).map((value) => ({ key: value.deviceId, value })),
      );
  });

  afterAll(async () => {
    await publisher?.close();
    await app?.close();
    const clickhouse = createClient({ url: stack.clickhouseUrl });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  });

  it('promotes a challenger fitted to the new regime, then keeps the champion when the next one is not better', async () => {
    const service = app.get(RetrainService);
    await publisher.publish(topics.retrainRequests, [{ key: 'SENSOR', value: request('first') }]);
    const first = await outcomeOf(service, 'first');
    expect(first).toMatchObject({ status: 'promoted', version: 'c1' });
    if (first.status !== 'promoted') return;
    console.log(`[trainer int] first: ${first.decision.reason}`);
    expect(first.decision.champion!.falseAlarmRate).toBeGreaterThan(0.3);
    const served = new ModelRegistry(cfg.TRAINER_REGISTRY_ROOT);
    expect(await served.versions('pump-synthetic')).toEqual(['v1', 'v2']);
    expect(existsSync(join(cfg.TRAINER_REGISTRY_ROOT, 'pump-synthetic', 'v2', 'calibration-scores.json'))).toBe(true);
    const run = await readLocalRun(join(cfg.TRAINER_RUNS_DIR, 'pump-synthetic', first.runId));
    expect(run.record).toMatchObject({ status: 'FINISHED', tags: { 'vigil.retrainRequest': 'first' } });
    expect(run.metrics.filter((m) => m.key === 'loss').length).toBeGreaterThan(0);

    await publisher.publish(topics.retrainRequests, [{ key: 'SENSOR', value: request('second') }]);
    const second = await outcomeOf(service, 'second');
    if (second.status === 'kept-champion') console.log(`[trainer int] second: ${second.decision.reason}`);
    expect(second).toMatchObject({ status: 'kept-champion', version: 'c2' });
    expect(await served.versions('pump-synthetic')).toEqual(['v1', 'v2']);
  });
});

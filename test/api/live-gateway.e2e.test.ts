/**
 * The live gateway on the real stack with the REAL detector: simulated sensor events → detector (a separate
 * process) → results topic → the API's own consumer group → Socket.IO device room. A client subscribed to one
 * device receives that device's results and alerts only, a late subscriber gets a snapshot from ClickHouse, and
 * after its transport drops mid-stream the client recovers its session and receives every alert it missed,
 * each exactly once.
 */
import type { ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { AnomalyResult } from '@vigil/contracts';
import type { ClientToServerEvents, LiveAlert, LiveResult, ServerToClientEvents, SubscribeAck, TelemetryTick } from '@vigil/contracts/realtime';
import { AvroSerde, createKafka, ensureTopics, readTopicToEnd } from '@vigil/kafka';
import { createServiceLogger } from '@vigil/service';
import { spawnDetector, suffixedTopics, uniqueName, uniqueTableName, waitFor } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApi } from '../../services/api/src/api.app';
import { apiTopics } from '../../services/api/src/api.module';
import { parseApiConfig } from '../../services/api/src/config/api.config';
import { hashApiKey } from '../../services/api/src/security/authenticator';
import { KafkaSink, planRun, type PlannedSend, validateScenario } from '@vigil/simulators';

const stack = inject('stack');
const suffix = `.${uniqueName('api-live')}`;
const database = uniqueTableName('api_live');
const KEY = 'live-test-viewer-key-0123456789';
const topics = suffixedTopics(suffix);

const scenario = validateScenario({
  name: 'api-live',
  seed: 7,
  durationS: 150,
  fleet: [{ name: 'pumps', count: 3, sensor: { source: 'synthetic', rateHz: 10 } }],
  timing: { latencyMs: 10, jitterMs: 10 },
  faults: { scheduled: [{ device: 'dev-0001', type: 'bearing_wear', startS: 30, rampS: 5, endS: 150, severity: 1 }] },
});

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;

function connect(url: string): LiveClient {
  // Websocket only (no polling handshake to stick to one replica); a slow, fixed reconnection delay leaves a gap
  // in which alerts are missed.
  return io(url, { auth: { apiKey: KEY }, transports: ['websocket'], reconnectionDelay: 3000, reconnectionDelayMax: 3000 });
}

function subscribe(client: LiveClient, deviceIds: string[]): Promise<SubscribeAck> {
  return new Promise((res) => client.emit('subscribe', { deviceIds }, res));
}

describe('live gateway with the real detector', () => {
  let api: INestApplication;
  let url = '';
  let detector: ChildProcess | undefined;
  let sink: KafkaSink;
  let batches: PlannedSend[][] = [];
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'api-live-e2e', logLevel: logLevel.NOTHING });
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const all = [...Object.values(topics), ...Object.values(apiTopics({ API_TOPIC_SUFFIX: suffix }))];
    await ensureTopics(admin, [...new Map(all.map((t) => [t.name, t])).values()]);
    await admin.disconnect();
    const cfg = parseApiConfig({
      VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
      VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: database,
      API_TOPIC_SUFFIX: suffix,
      API_HTTP_HOST: '127.0.0.1',
      API_HTTP_PORT: '0',
      API_KEYS: `live:viewer:${hashApiKey(KEY)}`,
      VIGIL_LOG_LEVEL: 'warn',
    });
    api = await startApi(cfg, createServiceLogger({ service: 'api-live-e2e', level: 'warn' }));
    url = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
    await waitFor('API ready (live consumer joined)', async () => ((await fetch(`${url}/health/ready`)).ok ? true : undefined));
    sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'api-live-sim', topics: { ...topics } });
    const plan = planRun(scenario, { startMs: Math.ceil(Date.now() / 1000) * 1000, streams: new Set(['sensor']) });
    batches = [...plan.batches()];
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    detector?.kill('SIGKILL');
    await sink?.close();
    await api?.close();
  });

  it('refuses a socket without a valid key', async () => {
    const bad = io(url, { auth: { apiKey: 'wrong' }, transports: ['websocket'], reconnection: false });
    const error = await new Promise<Error>((res) => bad.on('connect_error', res));
    expect(error.message).toMatch(/unauthorized/);
    bad.close();
  });

  it('streams one device’s results to its room, snapshots late joiners, and replays missed alerts after a reconnect', async () => {
    const client = connect(url);
    clients.push(client);
    const results: LiveResult[] = [];
    const alerts: LiveAlert[] = [];
    const telemetry: TelemetryTick[] = [];
    client.on('result', (r) => results.push(r));
    client.on('telemetry', (t) => telemetry.push(t));
    client.on('alert', (a) => alerts.push(a));
    await new Promise<void>((res) => client.on('connect', () => res()));
    const ack = await subscribe(client, ['dev-0001']);
    expect(ack).toMatchObject({ ok: true, rooms: ['device:dev-0001'], snapshot: { 'dev-0001': [] } });

    const half = Math.floor(batches.length / 2);
    for (const b of batches.slice(0, half)) await sink.publish(b);
    detector = spawnDetector({
      stack,
      database,
      suffix,
      port: 19_500 + Math.floor(Math.random() * 400),
      env: { DETECTOR_EXPECTED_MODALITIES: 'SENSOR', DETECTOR_MODEL_POLL_MS: '0', DETECTOR_FLUSH_INTERVAL_MS: '200', VIGIL_LOG_LEVEL: 'warn' },
    });
    await waitFor('first alerts', () => (alerts.length >= 3 ? true : undefined), 180_000);
    expect(results.length).toBeGreaterThan(0);
    expect(new Set(results.map((r) => r.deviceId))).toEqual(new Set(['dev-0001']));
    // Volatile results may be dropped in a burst; the per-tick aggregate of the device still arrives.
    await waitFor('a telemetry tick', () => (telemetry.length > 0 ? true : undefined));
    expect(new Set(telemetry.flatMap((t) => t.devices.map((d) => d.deviceId)))).toEqual(new Set(['dev-0001']));

    // A late subscriber gets the device's recent results from ClickHouse in its ack.
    const late = connect(url);
    clients.push(late);
    await new Promise<void>((res) => late.on('connect', () => res()));
    const snapshot = await waitFor('a snapshot from ClickHouse', async () => {
      const a = await subscribe(late, ['dev-0002']);
      return a.ok && a.snapshot['dev-0002']!.length > 0 ? a.snapshot['dev-0002']! : undefined;
    });
    expect(snapshot.every((r) => r.deviceId === 'dev-0002')).toBe(true);

    // Drop the transport (as a network blip would) and publish the rest while the client is away.
    const before = alerts.length;
    // The socket's own connect (after the manager's reconnect) carries the recovery outcome.
    const reconnected = new Promise<void>((res) => client.io.once('reconnect', () => client.once('connect', () => res())));
    client.io.engine.close();
    for (const b of batches.slice(half)) await sink.publish(b);
    await reconnected;
    expect(client.recovered).toBe(true);

    const expected = await waitFor(
      'every dev-0001 anomaly on the topic',
      async () => {
        const serde = AvroSerde.forUrl(stack.registryUrl);
        const all = (await readTopicToEnd(kafka, topics.results, serde)).map((m) => m.value as AnomalyResult);
        const flagged = all.filter((r) => r.deviceId === 'dev-0001' && r.isAnomaly).map((r) => r.windowStartMs);
        return flagged.length > before + 3 && alerts.length >= flagged.length ? flagged : undefined;
      },
      180_000,
    );
    const received = alerts.map((a) => a.result.windowStartMs);
    console.log(
      `alerts: ${before} before the drop, ${received.length} in all (${expected.length} on the topic), results received: ${results.length}, telemetry ticks: ${telemetry.length}`,
    );
    expect(received.length).toBe(new Set(received).size); // none twice
    expect([...received].sort()).toEqual([...expected].sort());
  });
});

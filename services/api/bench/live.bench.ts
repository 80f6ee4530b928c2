/**
 * `npm run bench:live`: N Socket.IO clients (100, 1,000, 5,000) in device rooms of one API process (a second
 * process on loopback) receive live results that this script appends to the results topic: a fleet of 100
 * devices, one window a second each. Prints delivery latency from the append (the record's processedAtMs) to the
 * client's receipt, p50/p95/p99, the share delivered (results are volatile), and the server's CPU.
 *
 *   npm run bench:live                   # env: BENCH_CLIENTS (100,1000,5000), BENCH_DURATION_S (10)
 */
import { type AnomalyResult, TOPICS, withSuffix } from '@vigil/contracts';
import type { ClientToServerEvents, ServerToClientEvents } from '@vigil/contracts/realtime';
import { processEnv } from '@vigil/config';
import { AvroPublisher, createKafka, ensureTopics } from '@vigil/kafka';
import { logLevel } from 'kafkajs';
import { io, type Socket } from 'socket.io-client';
import { BENCH_KEY, percentile, startApiProcess } from './bench-support';

const env = processEnv();
const CLIENTS = (env.BENCH_CLIENTS ?? '100,1000,5000').split(',').map(Number);
const DURATION_S = Number(env.BENCH_DURATION_S ?? 10);
const BROKERS = (env.VIGIL_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const REGISTRY = env.VIGIL_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const DEVICES = 100;
const TICK_MS = 100;
const suffix = `.bench-live-${Date.now().toString(36)}`;
const results = withSuffix(TOPICS.anomalyResults, suffix);

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

function result(deviceId: string, windowStartMs: number): AnomalyResult {
  const now = Date.now();
  return {
    deviceId,
    windowStartMs,
    windowEndMs: windowStartMs + 3000,
    modelVersion: 'pump-synthetic@v1',
    modalities: [{ modality: 'SENSOR', score: 1, threshold: 2, isAnomaly: false }],
    missingModalities: [],
    fusedScore: 1,
    fusedThreshold: 2,
    isAnomaly: false,
    rootCause: null,
    sensorFaults: [],
    processedAtMs: now,
  };
}

async function connectClients(url: string, n: number, latencies: number[]): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < n; i += 250) {
    const batch = Array.from({ length: Math.min(250, n - i) }, (_, j) => {
      const c: Client = io(url, { auth: { apiKey: BENCH_KEY }, transports: ['websocket'], forceNew: true });
      c.on('result', (r) => latencies.push(Date.now() - r.processedAtMs));
      return new Promise<Client>((resolve, reject) => {
        c.once('connect_error', reject);
        c.once('connect', () => c.emit('subscribe', { deviceIds: [`dev-${(i + j) % DEVICES}`] }, () => resolve(c)));
      });
    });
    clients.push(...(await Promise.all(batch)));
  }
  return clients;
}

async function main(): Promise<void> {
  const kafka = createKafka({ brokers: BROKERS, clientId: 'bench-live', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [results]);
  await admin.disconnect();
  const api = await startApiProcess(
    { VIGIL_CLICKHOUSE_DATABASE: 'vigil_bench_live', API_TOPIC_SUFFIX: suffix, API_SOCKET_MAX_BUFFERED: '100000' },
    18_900 + Math.floor(Math.random() * 90),
  );
  const publisher = await AvroPublisher.connect({ brokers: BROKERS, registryUrl: REGISTRY, clientId: 'bench-live' }, [results], kafka);
  const rows: string[] = [];
  try {
    for (const n of CLIENTS) {
      const latencies: number[] = [];
      const clients = await connectClients(api.url, n, latencies);
      await new Promise((r) => setTimeout(r, 1000));
      latencies.length = 0;
      const cpu0 = await api.cpuSeconds();
      const t0 = Date.now();
      let sent = 0;
      let window = Date.UTC(2026, 0, 1);
      while (Date.now() - t0 < DURATION_S * 1000) {
        const slice = Array.from({ length: (DEVICES * TICK_MS) / 1000 }, (_, k) => `dev-${(sent + k) % DEVICES}`);
        await publisher.publish(
          results,
          slice.map((d) => ({ key: d, value: result(d, window) })),
        );
        sent += slice.length;
        window += 10;
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
      await new Promise((r) => setTimeout(r, 1500)); // let the last ones arrive
      const wallS = (Date.now() - t0) / 1000;
      const cpu = ((await api.cpuSeconds()) - cpu0) / wallS;
      const expected = (sent * n) / DEVICES;
      latencies.sort((a, b) => a - b);
      rows.push(
        [
          String(n).padStart(7),
          percentile(latencies, 50).toFixed(0).padStart(7),
          percentile(latencies, 95).toFixed(0).padStart(7),
          percentile(latencies, 99).toFixed(0).padStart(7),
          `${((100 * latencies.length) / expected).toFixed(1)}%`.padStart(10),
          `${(100 * cpu).toFixed(0)}%`.padStart(9),
          String(Math.round(latencies.length / wallS)).padStart(10),
        ].join(' '),
      );
      console.log(rows.at(-1));
      for (const c of clients) c.close();
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await publisher.close();
    await api.stop();
  }
  console.log(
    `\nbench:live — ${DEVICES} devices × 1 result/s appended to ${results.name}, ${DURATION_S} s per step; latency = client receipt − processedAtMs (ms)`,
  );
  console.log('clients     p50     p95     p99  delivered  srv CPU  deliv/s');
  for (const r of rows) console.log(r);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

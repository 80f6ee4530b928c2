/**
 * `npm run bench:live`: N Socket.IO clients (100, 1,000, 5,000) in device rooms of one API process (a second
 * process on loopback) receive live results that this script appends to the results topic: a fleet of 100
 * devices, one window a second each. Prints delivery latency from the append (the record's processedAtMs) to the
 * client's receipt, p50/p95/p99, the share delivered (results are volatile), and the server's CPU.
 *
 * BENCH_RECEIVERS (default 1) spreads the clients over that many worker threads: with every client on one event
 * loop, a burst for 5,000 sockets queues in the receiver, so comparing 1 with 2 shows whether a figure is the
 * server's delivery or the receiver's backlog (browsers each have their own loop). The load average is printed
 * with the figures: on a shared machine they compare only with others at the same load.
 *
 *   npm run bench:live                   # env: BENCH_CLIENTS (100,1000,5000), BENCH_DURATION_S (10), BENCH_RECEIVERS (1)
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type AnomalyResult, TOPICS, withSuffix } from '@vigil/contracts';
import { processEnv } from '@vigil/config';
import { AvroPublisher, createKafka, ensureTopics } from '@vigil/kafka';
import { logLevel } from 'kafkajs';
import { BENCH_KEY, percentile, startApiProcess } from './bench-support';
import type { LiveClientsJob, LiveClientsMessage } from './live-clients.worker';

const env = processEnv();
const CLIENTS = (env.BENCH_CLIENTS ?? '100,1000,5000').split(',').map(Number);
const DURATION_S = Number(env.BENCH_DURATION_S ?? 10);
const RECEIVERS = Number(env.BENCH_RECEIVERS ?? 1);
const BROKERS = (env.VIGIL_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const REGISTRY = env.VIGIL_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';
const DEVICES = 100;
const TICK_MS = 100;
const suffix = `.bench-live-${Date.now().toString(36)}`;
const results = withSuffix(TOPICS.anomalyResults, suffix);

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

/** The receiving threads, `n` clients in all (client i in room dev-(i mod DEVICES)), once all are subscribed. */
class Receivers {
  private constructor(private readonly workers: Worker[]) {}

  static async start(url: string, n: number): Promise<Receivers> {
    const threads = Math.min(RECEIVERS, n);
    const workers = Array.from({ length: threads }, (_, w) => {
      const deviceIds = Array.from({ length: n }, (_, i) => `dev-${i % DEVICES}`).filter((_, i) => i % threads === w);
      const job: LiveClientsJob = { url, apiKey: BENCH_KEY, deviceIds };
      return new Worker(join(__dirname, 'live-clients.worker.ts'), { workerData: job, execArgv: process.execArgv });
    });
    await Promise.all(workers.map((w) => Receivers.reply(w, 'ready')));
    return new Receivers(workers);
  }

  private static reply(worker: Worker, kind: string): Promise<{ latencies?: number[] }> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { kind: string; message?: string; latencies?: number[] }) => {
        if (m.kind === 'error') reject(new Error(m.message));
        else if (m.kind === kind) {
          worker.off('message', onMessage);
          resolve(m);
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
    });
  }

  private send(m: LiveClientsMessage): void {
    for (const w of this.workers) w.postMessage(m);
  }

  reset(): void {
    this.send({ kind: 'reset' });
  }

  async collect(): Promise<number[]> {
    const replies = this.workers.map((w) => Receivers.reply(w, 'latencies'));
    this.send({ kind: 'collect' });
    return (await Promise.all(replies)).flatMap((r) => r.latencies ?? []);
  }

  async close(): Promise<void> {
    const exits = this.workers.map((w) => new Promise((r) => w.once('exit', r)));
    this.send({ kind: 'close' });
    await Promise.all(exits);
  }
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
      const receivers = await Receivers.start(api.url, n);
      await new Promise((r) => setTimeout(r, 1000));
      receivers.reset();
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
      const latencies = (await receivers.collect()).sort((a, b) => a - b);
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
      await receivers.close();
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await publisher.close();
    await api.stop();
  }
  console.log(
    `\nbench:live — ${DEVICES} devices × 1 result/s appended to ${results.name}, ${DURATION_S} s per step, clients on ${RECEIVERS} receiving thread(s); latency = client receipt − processedAtMs (ms); load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log('clients     p50     p95     p99  delivered  srv CPU  deliv/s');
  for (const r of rows) console.log(r);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * The observability stack against running services: a real Prometheus on loopback with the generated scrape config
 * and alert rules scrapes the detector, the API, the drift service and the trainer (each its own process, as in
 * production); every Grafana panel query and every alert rule's signal is evaluated through Prometheus's HTTP API
 * and must return series (so no panel names a metric the services do not export), every rule must evaluate
 * healthy, and `promtool` accepts the rules. The detector gets a little data first: a small fleet with a fault
 * and lost audio chunks, one reading replayed after its window closed, one undecodable message. The drift service
 * and the trainer run on their own topics (as in their integration specs): latents of a stable regime, two
 * shifted episodes and one undecodable message for drift (→ drift events, one retrain request, one blocked); for the trainer, the
 * drift service's request (too little data: skipped) and one over two minutes of simulated sensor readings
 * (→ a challenger trained for two epochs and judged against the committed champion).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processEnv } from '@vigil/config';
import {
  API_METRICS as A,
  DETECTOR_METRICS as M,
  DRIFT_METRICS as D,
  type LatentVector,
  type RetrainRequest,
  type SensorReading,
  TOPICS,
  TRAINER_METRICS as T,
  type TopicSpec,
  withSuffix,
} from '@vigil/contracts';
import { seededRandom } from '@vigil/features';
import { AvroPublisher, createKafka, ensureTopics } from '@vigil/kafka';
import { suffixedTopics, uniqueName, uniqueTableName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALERT_RULES, alertExpression, allDashboards, dashboardQueries, prometheusConfig, RATE_INTERVAL } from '../../dashboards/grafana/src';
import { validateScenario } from '../../simulators/src/scenario/scenario-parser';
import type { PlannedSend } from '../../simulators/src/simulation/sim-event';
import { planRun } from '../../simulators/src/simulation/simulation';
import { KafkaSink } from '../../simulators/src/sinks/kafka-sink';
import { PrometheusProcess } from './prometheus-process';
import { ROOT } from './service-inventory';

const stack = inject('stack');
const RULES_FILE = join(ROOT, 'deploy', 'prometheus', 'rules', 'vigil.rules.yml');
const suffix = `.${uniqueName('obs')}`;
const database = uniqueTableName('obs');
const topics = suffixedTopics(suffix);
/** Everything the detector writes, created up front: a producer racing a topic's first leader election fails. */
const outputTopics = [TOPICS.anomalyResults, TOPICS.latentVectors, TOPICS.deadLetters, TOPICS.lateEvents, TOPICS.detectorCheckpoints].map((t) =>
  withSuffix(t as TopicSpec<unknown>, suffix),
);
const scenario = validateScenario({
  name: 'observability',
  seed: 7,
  durationS: 40,
  fleet: [{ name: 'pumps', count: 3, sensor: { source: 'synthetic', rateHz: 10 }, audio: { source: 'synthetic', chunkS: 1, sampleRate: 4000 } }],
  // Half the audio chunks are lost: some windows are scored without AUDIO (counted as missing a modality).
  timing: { latencyMs: 20, jitterMs: 20, drop: { sensor: 0, audio: 0.5, image: 0 } },
  faults: { scheduled: [{ device: 'dev-0001', type: 'overheating', startS: 10, rampS: 2, endS: 40, severity: 1 }] },
});
/** Series that exist only once something happened: the test waits for each before querying. */
const EVENT_SERIES = [M.anomalies, M.deadLettered, M.lateEvents, M.missingModality, M.windows];
const DRIFT_EVENT_SERIES = [D.events, D.retrainRequests, D.retrainBlocked, D.deadLettered, D.ksMinPValue, D.wassersteinMean];

/** The drift service and the trainer share their own topics, apart from the detector's; each has its database. */
const retrainSuffix = `.${uniqueName('obs-retrain')}`;
const driftDatabase = uniqueTableName('obs_drift');
const trainerDatabase = uniqueTableName('obs_trainer');
const retrainTopics = {
  latents: withSuffix(TOPICS.latentVectors, retrainSuffix),
  sensor: withSuffix(TOPICS.sensorReadings, retrainSuffix),
  retrainRequests: withSuffix(TOPICS.retrainRequests, retrainSuffix),
};
const retrainOutputTopics = [TOPICS.anomalyResults, TOPICS.operatorFeedback, TOPICS.driftEvents, TOPICS.deadLetters].map((t) =>
  withSuffix(t as TopicSpec<unknown>, retrainSuffix),
);
const trainerRoot = mkdtempSync(join(tmpdir(), 'vigil-obs-trainer-'));
const TRAINING_FROM_MS = Date.UTC(2026, 5, 1);
const TRAINING_TO_MS = TRAINING_FROM_MS + 120_000;

/** A stable regime then a shifted one, on one device (one partition, in order), as in the drift service's spec. */
function latents(seed: number, count: number, shift: number, fromMs: number): LatentVector[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    deviceId: 'dev-0001',
    windowStartMs: fromMs + i * 1000,
    windowEndMs: fromMs + i * 1000 + 3000,
    modality: 'SENSOR',
    mean: Array.from({ length: 8 }, () => random.normal(shift, 1)),
    logVar: Array.from({ length: 8 }, () => -1),
    score: Math.abs(random.normal(1 + shift, 0.2)),
    modelVersion: 'pump-synthetic@v1',
  }));
}

/** Two minutes of the simulated pump fleet: what the trainer assembles its normal windows from. */
function trainingReadings(): SensorReading[] {
  const fleet = validateScenario({
    name: 'obs-training',
    seed: 31,
    durationS: 120,
    fleet: [{ name: 'pumps', count: 3, sensor: { source: 'synthetic', rateHz: 10 } }],
    timing: { latencyMs: 0, jitterMs: 0 },
  });
  const plan = planRun(fleet, { startMs: TRAINING_FROM_MS, streams: new Set(['sensor']) });
  return [...plan.batches()].flatMap((batch) => batch.filter((send) => send.stream === 'sensor').map((send) => send.value as SensorReading));
}

const trainingRequest: RetrainRequest = {
  requestId: 'obs-training',
  requestedAtMs: Date.now(),
  modality: 'SENSOR',
  trigger: 'MANUAL',
  reason: 'observability test',
  driftEventId: null,
  currentModelVersion: 'pump-synthetic@v1',
  dataFromMs: TRAINING_FROM_MS,
  dataToMs: TRAINING_TO_MS,
};

const services: ChildProcess[] = [];

/** A service as its own process (as in production), on the shared stack with this run's topics and database. */
function startService(name: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: ROOT,
    env: {
      ...processEnv(),
      VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
      VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
      VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: database,
      VIGIL_LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
  child.stdout?.on('data', (d: Buffer) => process.stdout.write(`[${name}] ${d}`));
  services.push(child);
  return child;
}

function startDetector(port: number): ChildProcess {
  return startService('detector', {
    DETECTOR_TOPIC_SUFFIX: suffix,
    DETECTOR_GROUP_ID: `detector${suffix}`,
    DETECTOR_FROM_BEGINNING: 'true',
    DETECTOR_EXPECTED_MODALITIES: 'SENSOR,AUDIO',
    DETECTOR_HTTP_HOST: '127.0.0.1',
    DETECTOR_HTTP_PORT: String(port),
    DETECTOR_FLUSH_INTERVAL_MS: '200',
  });
}

function startApi(port: number): ChildProcess {
  return startService('api', { API_TOPIC_SUFFIX: suffix, API_HTTP_HOST: '127.0.0.1', API_HTTP_PORT: String(port), API_LIVE_FROM_BEGINNING: 'true' });
}

/** The drift service with its integration spec's small windows: 100 reference latents, tumbling windows of 50. */
function startDriftService(port: number): ChildProcess {
  return startService('drift', {
    VIGIL_CLICKHOUSE_DATABASE: driftDatabase,
    DRIFT_TOPIC_SUFFIX: retrainSuffix,
    DRIFT_GROUP_ID: `drift${retrainSuffix}`,
    DRIFT_HTTP_HOST: '127.0.0.1',
    DRIFT_HTTP_PORT: String(port),
    DRIFT_REFERENCE_SIZE: '100',
    DRIFT_WINDOW_SIZE: '50',
    DRIFT_HOP: '50',
    DRIFT_COOLDOWN_MS: '0',
    DRIFT_MIN_NORMAL_SAMPLES: '100',
    DRIFT_PARTITION_CONCURRENCY: '1',
    DRIFT_FROM_BEGINNING: 'true',
  });
}

/** The trainer on a copy of the committed champion, with two epochs per challenger. */
function startTrainerService(port: number): ChildProcess {
  cpSync(join(ROOT, 'models', 'sensor', 'pump-synthetic', 'v1'), join(trainerRoot, 'models', 'pump-synthetic', 'v1'), { recursive: true });
  return startService('trainer', {
    VIGIL_CLICKHOUSE_DATABASE: trainerDatabase,
    TRAINER_TOPIC_SUFFIX: retrainSuffix,
    TRAINER_GROUP_ID: `trainer${retrainSuffix}`,
    TRAINER_HTTP_HOST: '127.0.0.1',
    TRAINER_HTTP_PORT: String(port),
    TRAINER_REGISTRY_ROOT: join(trainerRoot, 'models'),
    TRAINER_RUNS_DIR: join(trainerRoot, 'runs'),
    TRAINER_WORK_DIR: join(trainerRoot, 'work'),
    TRAINER_WINDOW_STRIDE: '10',
    TRAINER_EPOCHS: '2',
    TRAINER_MIN_TRAIN_WINDOWS: '50',
    TRAINER_FROM_BEGINNING: 'true',
  });
}

/** Metric names of `names` that have no sample above zero in a service's /metrics text. */
async function missingSeries(metricsUrl: string, names: readonly string[], labels = ''): Promise<string[]> {
  const text = await (await fetch(metricsUrl)).text();
  return names.filter((name) => !new RegExp(`^${name}(\\{[^}]*${labels}[^}]*\\})? [0-9.e-]*[1-9]`, 'm').test(text));
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    const exited = services.find((c) => c.exitCode !== null);
    if (exited) throw new Error(`${exited.spawnargs.at(-1)} exited (${exited.exitCode}) while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Panels use Grafana's `$__rate_interval`; Prometheus gets a window that spans several 1 s scrapes. */
const concrete = (expr: string): string => expr.replaceAll(RATE_INTERVAL, '20s');

describe('Prometheus scrapes the detector, the API, the drift service and the trainer, and every panel and alert rule returns series', () => {
  const detectorPort = 19_000 + Math.floor(Math.random() * 1000);
  const apiPort = detectorPort + 1000;
  const prometheusPort = detectorPort + 2000;
  const driftPort = detectorPort + 3000;
  const trainerPort = detectorPort + 4000;
  let prometheus: PrometheusProcess | undefined;

  beforeAll(async () => {
    const started = Date.now();
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'obs', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [...Object.values(topics), ...outputTopics, ...Object.values(retrainTopics), ...retrainOutputTopics]);
    await admin.disconnect();
    // The drift service and the trainer first: the trainer's data and the drift service's latents are on Kafka
    // before either starts consuming, and both work while the detector is fed.
    const retrainPublisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'obs-retrain' },
      Object.values(retrainTopics),
      kafka,
    );
    const readings = trainingReadings();
    for (let i = 0; i < readings.length; i += 2000)
      await retrainPublisher.publish(
        retrainTopics.sensor,
        readings.slice(i, i + 2000).map((value) => ({ key: value.deviceId, value })),
      );
    // Stable, shifted (a persisted drift → the one retrain request), stable again (the episode closes), shifted
    // again (a second episode, blocked: the first retrain is still in flight).
    const stream = [...latents(1, 250, 0, 1_000_000), ...latents(2, 300, 0.8, 2_000_000), ...latents(3, 150, 0, 3_000_000), ...latents(4, 250, 0.8, 4_000_000)];
    await retrainPublisher.publish(
      retrainTopics.latents,
      stream.map((value) => ({ key: value.deviceId, value })),
    );
    await retrainPublisher.close();
    const retrainProducer = kafka.producer();
    await retrainProducer.connect();
    await retrainProducer.send({ topic: retrainTopics.latents.name, messages: [{ key: 'dev-0002', value: Buffer.from('not an Avro record') }] });
    await retrainProducer.disconnect();
    startDriftService(driftPort);
    startTrainerService(trainerPort);

    const sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'obs-sim', topics: { ...topics } });
    startDetector(detectorPort);
    const targets = {
      detector: [`127.0.0.1:${detectorPort}`],
      api: [`127.0.0.1:${apiPort}`],
      drift: [`127.0.0.1:${driftPort}`],
      trainer: [`127.0.0.1:${trainerPort}`],
    };
    prometheus = await PrometheusProcess.start(prometheusConfig({ targets, scrapeInterval: '1s', ruleFiles: [RULES_FILE] }), prometheusPort);
    const plan = planRun(scenario, { startMs: Math.ceil(Date.now() / 1000) * 1000, streams: new Set(['sensor', 'audio']) });
    let first: PlannedSend | undefined;
    for (const batch of plan.batches()) {
      first ??= batch.find((send) => send.stream === 'sensor');
      await sink.publish(batch);
    }
    const metricsUrl = `http://127.0.0.1:${detectorPort}/metrics`;
    await waitFor('the first scored windows', async () =>
      new RegExp(`^${M.windows} [1-9]`, 'm').test(await (await fetch(metricsUrl)).text()) ? true : undefined,
    );
    // The first reading again, once its window has closed: a late event.
    await sink.publish([first!]);
    await sink.close();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: topics.sensor.name, messages: [{ key: 'dev-0001', value: Buffer.from('not an Avro record') }] });
    await producer.disconnect();
    let missing: string[] = [...EVENT_SERIES];
    await waitFor(`the detector to export ${EVENT_SERIES.join(', ')}`, async () => {
      const text = await (await fetch(metricsUrl)).text();
      missing = EVENT_SERIES.filter((name) => !new RegExp(`^${name}(\\{.*\\})? [1-9]`, 'm').test(text));
      return missing.length === 0 ? true : undefined;
    }).catch((err: Error) => {
      throw new Error(`${err.message}; still missing: ${missing.join(', ')}`);
    });
    // The API on the tables the detector created; a few requests (one refused, one not found) for its series.
    startApi(apiPort);
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    await waitFor('the API ready', async () => ((await fetch(`${apiUrl}/health/ready`)).ok ? true : undefined));
    for (const path of ['/v1/devices', '/v1/devices/dev-0001', '/v1/no-such-route']) await fetch(`${apiUrl}${path}`);
    await waitFor('the API request series', async () =>
      new RegExp(`^${A.requestLatency}_bucket\\{`, 'm').test(await (await fetch(`${apiUrl}/metrics`)).text()) ? true : undefined,
    );
    // The drift service's events and request; then the trainer: the drift service's request skipped (its
    // latents carry no sensor data), the test's own request trained and judged.
    const driftMetrics = `http://127.0.0.1:${driftPort}/metrics`;
    await waitFor(`the drift service to export ${DRIFT_EVENT_SERIES.join(', ')}`, async () =>
      (await missingSeries(driftMetrics, DRIFT_EVENT_SERIES)).length === 0 ? true : undefined,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}; still missing: ${(await missingSeries(driftMetrics, DRIFT_EVENT_SERIES)).join(', ')}`);
    });
    const trainerMetrics = `http://127.0.0.1:${trainerPort}/metrics`;
    await waitFor('the trainer ready', async () => ((await fetch(`http://127.0.0.1:${trainerPort}/health/ready`)).ok ? true : undefined));
    const requests = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'obs-retrain' },
      [retrainTopics.retrainRequests],
      kafka,
    );
    await requests.publish(retrainTopics.retrainRequests, [{ key: 'SENSOR', value: trainingRequest }]);
    await requests.close();
    await waitFor(
      'a challenger trained and judged',
      async () => ((await missingSeries(trainerMetrics, [T.jobs], 'status="(promoted|kept-champion)"')).length === 0 ? true : undefined),
      240_000,
    );
    // Rates and deltas need at least two samples of each series in Prometheus: wait for three scrapes of each
    // service that saw the series (a fixed sleep was not enough on a busy machine).
    for (const series of [
      M.windows,
      M.consumerLag,
      `${A.requestLatency}_count`,
      D.windowsTested,
      D.consumerLag,
      `${T.jobs}{status=~"promoted|kept-champion"}`,
    ]) {
      await waitFor(`three scrapes of ${series}`, async () => {
        const samples = await prometheus!.query(`min(count_over_time(${series}[2m]))`);
        return Number(samples.data?.result[0]?.value?.[1] ?? 0) >= 3 ? true : undefined;
      });
    }
    console.log(`[observability] detector fed and scraped in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    for (const child of services) child.kill('SIGKILL');
    await prometheus?.stop();
    for (const db of [database, driftDatabase, trainerDatabase])
      await fetch(stack.clickhouseUrl, { method: 'POST', body: `DROP DATABASE IF EXISTS ${db}` }).catch(() => {});
    rmSync(trainerRoot, { recursive: true, force: true });
  });

  it('scrapes every service with the generated config (every job up)', async () => {
    const up = await prometheus!.query('up');
    expect(Object.fromEntries(up.data!.result.map((r) => [r.metric.job, r.value?.[1]]))).toEqual({ detector: '1', api: '1', drift: '1', trainer: '1' });
  });

  it('sees the drift service and the trainer at work: one retrain request, one blocked, two jobs judged', async () => {
    const byLabel = async (expr: string, label: string) =>
      Object.fromEntries((await prometheus!.query(expr)).data!.result.map((r) => [r.metric[label] ?? '', Number(r.value?.[1])]));
    expect(await byLabel(`sum by (reason) (${D.retrainRequests})`, 'reason')).toEqual({ 'drift-persisted': 1 });
    expect(await byLabel(`sum by (reason) (${D.retrainBlocked})`, 'reason')).toEqual({ 'in-flight': expect.any(Number) });
    const jobs = await byLabel(`sum by (status) (${T.jobs})`, 'status');
    console.log(`[observability] trainer jobs by outcome: ${JSON.stringify(jobs)}`);
    expect(jobs.skipped).toBe(1);
    expect((jobs.promoted ?? 0) + (jobs['kept-champion'] ?? 0)).toBe(1);
  });

  it('every Grafana panel query returns series', async () => {
    const queries = Object.values(allDashboards()).flatMap(dashboardQueries);
    expect(queries.length).toBeGreaterThan(10);
    const empty: string[] = [];
    for (const q of queries) {
      const result = await prometheus!.query(concrete(q.expr));
      expect(result.status, `${q.panel}: ${q.expr} → ${result.error}`).toBe('success');
      if ((result.data?.result.length ?? 0) === 0) empty.push(`${q.panel}: ${q.expr}`);
    }
    console.log(`[observability] ${queries.length} panel queries evaluated`);
    expect(empty).toEqual([]);
  });

  it('every alert rule signal returns series and every rule evaluates healthy', async () => {
    for (const rule of ALERT_RULES) {
      const signal = await prometheus!.query(rule.signal);
      expect(signal.data?.result.length ?? 0, `${rule.alert}: ${rule.signal}`).toBeGreaterThan(0);
      expect((await prometheus!.query(alertExpression(rule))).status, rule.alert).toBe('success');
    }
    type Rules = { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    const loaded = (await prometheus!.get<Rules>('/api/v1/rules')).data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(ALERT_RULES.map((r) => r.alert).sort());
    expect(loaded.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`)).toEqual([]);
  });

  it('fails a panel that names a metric the services do not export (the check can fail)', async () => {
    expect((await prometheus!.query(`sum(rate(${M.events}_renamed[20s]))`)).data?.result).toEqual([]);
  });
});

/**
 * The observability stack against a running detector and API: a real Prometheus on loopback with the generated scrape
 * config and alert rules scrapes it; every Grafana panel query and every alert rule's signal is evaluated through
 * Prometheus's HTTP API and must return series (so no panel names a metric the services do not export), every
 * rule must evaluate healthy, and `promtool` accepts the rules. The detector gets a little data first: a small
 * fleet with a fault and lost audio chunks, one reading replayed after its window closed, one undecodable message.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { processEnv } from '@vigil/config';
import { API_METRICS as A, DETECTOR_METRICS as M, TOPICS, type TopicSpec, withSuffix } from '@vigil/contracts';
import { createKafka, ensureTopics } from '@vigil/kafka';
import { uniqueName, uniqueTableName } from '@vigil/testing';
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
const topics = {
  sensor: withSuffix(TOPICS.sensorReadings, suffix),
  audio: withSuffix(TOPICS.audioChunks, suffix),
  image: withSuffix(TOPICS.imageFrames, suffix),
  label: withSuffix(TOPICS.groundTruth, suffix),
};
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

describe('Prometheus scrapes the detector and the API, and every panel and alert rule returns series', () => {
  const detectorPort = 19_000 + Math.floor(Math.random() * 1000);
  const apiPort = detectorPort + 1000;
  const prometheusPort = detectorPort + 2000;
  let prometheus: PrometheusProcess | undefined;

  beforeAll(async () => {
    const started = Date.now();
    const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'obs', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [...Object.values(topics), ...outputTopics]);
    await admin.disconnect();
    const sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'obs-sim', topics: { ...topics } });
    startDetector(detectorPort);
    const targets = { detector: [`127.0.0.1:${detectorPort}`], api: [`127.0.0.1:${apiPort}`] };
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
    // Rates and deltas need at least two samples of each series in Prometheus: wait for three scrapes of the
    // detector and the API that saw the series (a fixed sleep was not enough on a busy machine).
    for (const series of [M.windows, M.consumerLag, `${A.requestLatency}_count`]) {
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
    await fetch(stack.clickhouseUrl, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
  });

  it('scrapes the detector and the API with the generated config (both jobs up)', async () => {
    const up = await prometheus!.query('up');
    expect(Object.fromEntries(up.data!.result.map((r) => [r.metric.job, r.value?.[1]]))).toEqual({ detector: '1', api: '1' });
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

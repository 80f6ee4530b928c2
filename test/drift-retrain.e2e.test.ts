/**
 * Drift → retrain → hot swap on the real stack: the simulated pump fleet runs normally, then its operating point
 * shifts (the scenario's `regimeShift`: higher discharge pressure and current, hotter bearings). The detector (a separate process) scores every window with the
 * committed sensor model and the fused multimodal model, and publishes both models' latents; the drift service
 * tests each stream against its own reference, sees the shift and asks once per model line (not a storm); the
 * trainer (with a real MLflow server from PyPI) trains a sensor challenger on the drift episode, promotes it over
 * the champion on the same held-out windows (the fused line's request is not its to train); the detector swaps
 * to it and scores the rest of the stream with it. A challenger trained on stale (pre-shift) data is then
 * registered but not promoted.
 */
import type { ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createClient } from '@clickhouse/client';
import type { INestApplication } from '@nestjs/common';
import { type Modality, type RetrainRequest, type SensorReading, TOPICS, withSuffix } from '@vigil/contracts';
import { down, infraPaths, up } from '@vigil/infra';
import { mlflowComponent, mlflowTrackingUri } from '@vigil/infra';
import { AvroPublisher, createKafka, ensureTopics, readTopicToEnd } from '@vigil/kafka';
import { MlflowRestClient } from '@vigil/ml';
import { createServiceLogger } from '@vigil/service';
import { planRun, validateScenario } from '@vigil/simulators';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseDriftConfig } from '../services/drift/src/config/drift.config';
import { startDrift } from '../services/drift/src/drift.app';
import { parseTrainerConfig } from '../services/trainer/src/config/trainer.config';
import { RetrainService, type JobOutcome } from '../services/trainer/src/retraining/retrain.service';
import { startTrainer } from '../services/trainer/src/trainer.app';
import { detectorReady, REPO_ROOT, spawnDetector, waitFor } from '@vigil/testing';

const stack = inject('stack');
const suffix = `.${uniqueName('drift-e2e')}`;
const database = uniqueTableName('drift_e2e');
const root = mkdtempSync(join(tmpdir(), 'vigil-drift-e2e-'));
const modelDir = join(root, 'models', 'pump-synthetic');
cpSync(join(REPO_ROOT, 'models', 'sensor', 'pump-synthetic', 'v1'), join(modelDir, 'v1'), { recursive: true });
const sensorTopic = withSuffix(TOPICS.sensorReadings, suffix);
const retrainTopic = withSuffix(TOPICS.retrainRequests, suffix);
const driftTopic = withSuffix(TOPICS.driftEvents, suffix);
const START_MS = Math.ceil(Date.now() / 1000) * 1000 - 360_000;
/**
 * The reference (600 latents: ~100 s of six pumps at about a window a second) is the whole pre-shift period.
 * Normal operation is not stationary on shorter scales: each pump changes load regime every ~25 s, and
 * consecutive windows' latents are strongly correlated, so a 20-s window of six pumps against a 60-s reference
 * "drifts" (the tests assume exchangeable samples). Here every window tested is shifted, or straddles the shift.
 */
const REFERENCE_SIZE = 600;
const SHIFT_AT_S = 110;
const SHIFT_AT_MS = START_MS + SHIFT_AT_S * 1_000;
const PHASE_ONE_END_MS = START_MS + 200_000;

function fleetReadings(): SensorReading[] {
  const scenario = validateScenario({
    name: 'drift-e2e',
    seed: 42,
    durationS: 260,
    fleet: [
      {
        name: 'pumps',
        count: 6,
        sensor: {
          source: 'synthetic',
          rateHz: 10,
          // A new duty point: higher discharge pressure and current, hotter bearings.
          regimeShift: { atS: SHIFT_AT_S, scale: { pressure: 1.4, motor_current: 1.3 }, offset: { bearing_temp: 10 } },
        },
      },
    ],
    timing: { latencyMs: 0, jitterMs: 0 },
  });
  const out: SensorReading[] = [];
  for (const batch of planRun(scenario, { startMs: START_MS, streams: new Set(['sensor']) }).batches())
    for (const send of batch) if (send.stream === 'sensor') out.push(send.value as SensorReading);
  return out;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function outcomeOf(service: RetrainService, requestId: string, timeoutMs = 240_000): Promise<JobOutcome> {
  return waitFor(`retrain outcome ${requestId}`, async () => service.status().recent.find((o) => o.requestId === requestId), timeoutMs);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('drift → retrain → promotion → hot swap (simulators, detector, drift, trainer, MLflow)', () => {
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'drift-e2e', logLevel: logLevel.NOTHING });
  const clickhouse = createClient({ url: stack.clickhouseUrl });
  const mlflowPort = 15_000 + Math.floor(Math.random() * 1000);
  const mlflow = mlflowComponent(infraPaths().cacheDir, join(root, 'state'), mlflowPort);
  const detectorPort = 19_000 + Math.floor(Math.random() * 1000);
  let detector: ChildProcess | undefined;
  let drift: INestApplication | undefined;
  let trainer: INestApplication | undefined;
  let publisher: AvroPublisher;
  const readings = fleetReadings();
  const publish = async (part: SensorReading[]) => {
    for (let i = 0; i < part.length; i += 2000)
      await publisher.publish(
        sensorTopic,
        part.slice(i, i + 2000).map((value) => ({ key: value.deviceId, value })),
      );
  };
  /** Like a live fleet (faster than real time): 10 s of event time at a time, so every device is seen early. */
  const publishPaced = async (part: SensorReading[]) => {
    for (let from = part[0]!.eventTimeMs; from <= part.at(-1)!.eventTimeMs; from += 10_000) {
      await publish(part.filter((r) => r.eventTimeMs >= from && r.eventTimeMs < from + 10_000));
      await sleep(300);
    }
  };
  const requestsOf = async (modality: Modality) =>
    (await readTopicToEnd<RetrainRequest>(kafka, retrainTopic, publisher.serde)).map((r) => r.value).filter((r) => r.modality === modality);

  beforeAll(async () => {
    await up([mlflow]);
    const admin = kafka.admin();
    await admin.connect();
    // The detector's checkpoint topic too: its start-up reads it at once, and a topic created a moment earlier can
    // still answer "not the leader" to that first read, which the detector does not retry (it exits).
    await ensureTopics(admin, [sensorTopic, retrainTopic, driftTopic, withSuffix(TOPICS.detectorCheckpoints, suffix)]);
    await admin.disconnect();
    publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'drift-e2e' },
      [sensorTopic, retrainTopic],
      kafka,
    );
  });

  afterAll(async () => {
    detector?.kill('SIGKILL');
    await trainer?.close();
    await drift?.close();
    await publisher?.close();
    await down([mlflow]);
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
    await clickhouse.close();
    rmSync(root, { recursive: true, force: true });
  });

  it(
    'one retrain request per model line, a promoted challenger the detector swaps to, the run in MLflow, a stale challenger kept out',
    { timeout: 480_000 },
    async () => {
      const common = {
        VIGIL_KAFKA_BROKERS: stack.kafkaBrokers.join(','),
        VIGIL_SCHEMA_REGISTRY_URL: stack.registryUrl,
        VIGIL_CLICKHOUSE_URL: stack.clickhouseUrl,
        VIGIL_CLICKHOUSE_DATABASE: database,
        VIGIL_LOG_LEVEL: 'warn',
      };
      detector = spawnDetector({
        stack,
        database,
        suffix,
        port: detectorPort,
        env: { DETECTOR_EXPECTED_MODALITIES: 'SENSOR', DETECTOR_SENSOR_MODEL_DIR: modelDir, DETECTOR_MODEL_POLL_MS: '500', VIGIL_LOG_LEVEL: 'warn' },
      });
      const exited = new Promise<never>((_, reject) =>
        detector!.once('exit', (code) => reject(new Error(`the detector exited (${code}) before it was ready`))),
      );
      exited.catch(() => {}); // the kill in afterAll settles it too; only the race below is its listener
      await Promise.race([waitFor('detector ready', () => detectorReady(detectorPort)), exited]);
      drift = await startDrift(
        parseDriftConfig({
          ...common,
          DRIFT_TOPIC_SUFFIX: suffix,
          DRIFT_GROUP_ID: `drift${suffix}`,
          DRIFT_HTTP_HOST: '127.0.0.1',
          DRIFT_HTTP_PORT: String(await freePort()),
          DRIFT_REFERENCE_SIZE: String(REFERENCE_SIZE),
          DRIFT_WINDOW_SIZE: '120',
          DRIFT_HOP: '120',
          DRIFT_COOLDOWN_MS: '0',
          // Every window tested here is in (or straddles) the shift, where the champion flags nearly every window:
          // no "normal" samples accrue before the request (the policy spec covers that minimum).
          DRIFT_MIN_NORMAL_SAMPLES: '0',
          DRIFT_FROM_BEGINNING: 'true',
        }),
        createServiceLogger({ service: 'drift', level: 'warn' }),
      );
      const trackingUri = mlflowTrackingUri(mlflowPort);
      trainer = await startTrainer(
        parseTrainerConfig({
          ...common,
          TRAINER_TOPIC_SUFFIX: suffix,
          TRAINER_GROUP_ID: `trainer${suffix}`,
          TRAINER_HTTP_HOST: '127.0.0.1',
          TRAINER_HTTP_PORT: String(await freePort()),
          TRAINER_REGISTRY_ROOT: dirname(modelDir),
          TRAINER_RUNS_DIR: join(root, 'runs'),
          TRAINER_WORK_DIR: join(root, 'work'),
          MLFLOW_TRACKING_URI: trackingUri,
          TRAINER_EPOCHS: '8',
          TRAINER_MIN_TRAIN_WINDOWS: '100',
          TRAINER_FROM_BEGINNING: 'true',
        }),
        createServiceLogger({ service: 'trainer', level: 'warn' }),
      );
      const retraining = trainer.get(RetrainService);
      const driftUrl = (await drift.getUrl()).replace('[::1]', '127.0.0.1');
      const diagnostics = setInterval(() => {
        void fetch(`${driftUrl}/metrics`)
          .then((r) => r.text())
          .then((text) =>
            console.log(
              `[drift e2e] ${text
                .split('\n')
                .filter((l) => /^vigil_drift_(windows_tested|retrain|latents)/.test(l))
                .join(' | ')}`,
            ),
          );
      }, 15_000);
      await publishPaced(readings.filter((r) => r.eventTimeMs < PHASE_ONE_END_MS));

      const [request] = await waitFor('a SENSOR retrain request', async () => {
        const sensor = await requestsOf('SENSOR');
        return sensor.length > 0 ? sensor : undefined;
      }).finally(() => clearInterval(diagnostics));
      console.log(
        `[drift e2e] SENSOR retrain request: data ${(request!.dataFromMs ?? 0) - START_MS}…${(request!.dataToMs ?? 0) - START_MS} ms (shift at ${SHIFT_AT_MS - START_MS}), ${request!.reason}`,
      );
      // The drift episode is the shifted regime: it starts at the shift (a window may straddle it), not before.
      expect(request!.dataFromMs).toBeGreaterThanOrEqual(SHIFT_AT_MS - 25_000);
      const promoted = await outcomeOf(retraining, request!.requestId);
      console.log(
        `[drift e2e] ${JSON.stringify({ ...promoted, decision: promoted.status === 'promoted' || promoted.status === 'kept-champion' ? promoted.decision.reason : undefined })}`,
      );
      expect(promoted).toMatchObject({ status: 'promoted', version: 'c1' });
      await waitFor('hot model swap', async () =>
        /vigil_detector_model_swaps_total 1/.test(await (await fetch(`http://127.0.0.1:${detectorPort}/metrics`)).text()) ? true : undefined,
      );

      await publish(readings.filter((r) => r.eventTimeMs >= PHASE_ONE_END_MS));
      const scoredByV2 = await waitFor(
        'windows scored by v2',
        async () => {
          const rs = await clickhouse.query({
            // The served set is `pump-synthetic@v2+multimodal-pump@v1`: the sensor model swapped, the fused one kept.
            query: `SELECT count() AS n FROM ${database}.anomaly_results FINAL WHERE model_version LIKE 'pump-synthetic@v2+%'`,
            format: 'JSONEachRow',
          });
          const n = Number(((await rs.json()) as { n: string }[])[0]?.n);
          return n > 100 ? n : undefined;
        },
        180_000,
      );
      console.log(`[drift e2e] windows scored by pump-synthetic@v2: ${scoredByV2}`);

      // One request per model line and drift episode, not one per drifted window; the fused line's is skipped.
      expect(await requestsOf('SENSOR')).toHaveLength(1);
      const fused = await requestsOf('FUSED');
      expect(fused.length).toBeLessThanOrEqual(1);
      for (const r of fused) expect(retraining.status().recent.find((o) => o.requestId === r.requestId)).toMatchObject({ status: 'skipped' });
      expect((await readTopicToEnd(kafka, driftTopic, publisher.serde)).length).toBeGreaterThanOrEqual(3);

      if (promoted.status !== 'promoted') throw new Error('unreachable: asserted above');
      const client = new MlflowRestClient(trackingUri);
      const { run } = await client.get<{ run: { info: { status: string } } }>('mlflow/runs/get', { run_id: promoted.runId });
      expect(run.info.status).toBe('FINISHED');
      const alias = await client.get<{ model_version: { version: string } }>('mlflow/registered-models/alias', { name: 'pump-synthetic', alias: 'champion' });
      expect(alias.model_version.version).toBe('1');

      // A challenger trained on the pre-shift regime only: worse on the present (held-out) windows, not promoted.
      const stale: RetrainRequest = {
        ...request!,
        requestId: 'stale',
        trigger: 'MANUAL',
        reason: 'e2e: stale data',
        dataFromMs: START_MS,
        dataToMs: SHIFT_AT_MS - 5_000,
      };
      await publisher.publish(retrainTopic, [{ key: 'SENSOR', value: stale }]);
      const kept = await outcomeOf(retraining, 'stale');
      if (kept.status === 'failed') console.log(`[drift e2e] stale: failed: ${kept.reason}`);
      if (kept.status === 'kept-champion' || kept.status === 'promoted') console.log(`[drift e2e] stale: ${kept.decision.reason}`);
      expect(kept).toMatchObject({ status: 'kept-champion', version: 'c2' });
      expect(await (await fetch(`http://127.0.0.1:${detectorPort}/metrics`)).text()).toMatch(/vigil_detector_model_swaps_total 1/);
    },
  );
});

/**
 * npm run eval:live — a scenario through the real pipeline: the simulators' events (by default replayed as fast
 * as the broker takes them, event times in the past; `EVAL_SPEED=1` sends them as a live fleet would, in real
 * time after the detector is ready) → Kafka → a real detector → ClickHouse, then the results joined
 * with the scenario's ground truth: window recall and median detection delay per fault type, and the
 * false-alarm rate on windows far from any fault. Flagged = process anomaly or sensor fault.
 *
 *   npm run eval:live                                              # simulators/scenarios/demo.yaml
 *   EVAL_SCENARIO=simulators/scenarios/replay.yaml npm run eval:live
 *   EVAL_SPEED=1 npm run eval:live                                 # paced: the scenario's duration in wall time
 *
 * Why paced: as a backlog, the whole scenario reaches the detector within seconds, each modality's topic at its
 * own pace; a detector slower per event than the broker (a 320 px camera model) then falls behind on one topic
 * while the close timer closes windows on the wall clock, and that topic's events arrive late (a backlog artefact
 * a live fleet does not have: there the detector only has to keep up with real time).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createClient } from '@clickhouse/client';
import { loadConfig, processEnv, trueOrFalse } from '@vigil/config';
import { resolveDataDir } from '@vigil/datasets';
import { TOPICS, withSuffix } from '@vigil/contracts';
import { DEFAULT_MODALITY_IDLE_MS, evaluateLive } from '@vigil/detection';
import { createKafka, ensureTopics } from '@vigil/kafka';
import { KafkaSink, loadReplayCatalogue, pace, parseScenario, planRun, type PlannedSend } from '@vigil/simulators';
import { detectorReady, REPO_ROOT, spawnDetector, startTestStack, uniqueName, uniqueTableName, waitFor } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { z } from 'zod';

const OPTIONS = loadConfig(
  z.object({
    EVAL_SCENARIO: z.string().default('simulators/scenarios/demo.yaml'),
    /**
     * Extra DETECTOR_* settings as k=v,k=v (e.g. DETECTOR_THRESHOLD_RISK=0.0005); a value may hold `=` and `,`
     * (DETECTOR_DEVICE_ROUTES=engines:cmapss-fd001-*=models/cmapss-fd001-cnn/v1): a new setting starts at `,DETECTOR_`.
     */
    EVAL_DETECTOR_ENV: z.string().default(''),
    /** Keep the run's ClickHouse database (its name is printed) to look at the windows afterwards. */
    EVAL_KEEP_DATABASE: trueOrFalse('false'),
    /** `max`: the scenario as a backlog (default); a number: sent at that multiple of real time, from when the detector is ready. */
    EVAL_SPEED: z.union([z.literal('max'), z.coerce.number().positive()]).default('max'),
    /** Also write the run's labels and windows (per-modality scores and thresholds included) here as JSON, to study offline. */
    EVAL_DUMP_FILE: z.string().optional(),
  }),
  processEnv(),
  'eval:live',
);

async function main(): Promise<void> {
  const stack = await startTestStack();
  const scenario = parseScenario(readFileSync(resolve(REPO_ROOT, OPTIONS.EVAL_SCENARIO), 'utf8'));
  const suffix = `.${uniqueName('live')}`;
  const database = uniqueTableName('live');
  const topics = {
    sensor: withSuffix(TOPICS.sensorReadings, suffix),
    audio: withSuffix(TOPICS.audioChunks, suffix),
    image: withSuffix(TOPICS.imageFrames, suffix),
    label: withSuffix(TOPICS.groundTruth, suffix),
  };
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'eval-live', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(topics));
  const ch = createClient({ url: stack.clickhouseUrl });
  const detectorEnv = Object.fromEntries(
    OPTIONS.EVAL_DETECTOR_ENV.split(/,(?=DETECTOR_)/)
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  const port = 21_000 + Math.floor(Math.random() * 1000);
  const detector = spawnDetector({ stack, database, suffix, port, quiet: true, env: { DETECTOR_EXPECTED_MODALITIES: 'SENSOR,AUDIO,IMAGE', ...detectorEnv } });
  try {
    const paced = OPTIONS.EVAL_SPEED !== 'max';
    if (paced) await waitFor('detector ready', () => detectorReady(port));
    const now = Math.floor(Date.now() / 1000) * 1000;
    const startMs = paced ? now + 1000 : now - (scenario.durationMs + 60_000);
    // A scenario that replays real data (replay.yaml: C-MAPSS, MIMII, magnetic tiles) reads it from the data directory.
    const replay = await loadReplayCatalogue(scenario, resolveDataDir());
    const plan = planRun(scenario, { startMs, streams: new Set(['sensor', 'audio', 'image', 'label']), replay });
    const sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'eval-live-sim', topics: { ...topics } });
    const labels: { deviceId: string; faultType: string; startMs: number; endMs: number }[] = [];
    let events = 0;
    const note = (batch: readonly PlannedSend[]) => {
      for (const send of batch) if (send.stream === 'label') labels.push(send.value);
      events += batch.length;
    };
    if (paced) {
      const stats = await pace(plan.batches(), sink, { speed: OPTIONS.EVAL_SPEED as number, simStartMs: plan.fleet.startMs, onBatch: note });
      console.log(`paced at ${OPTIONS.EVAL_SPEED}× real time: ${(stats.wallMs / 1000).toFixed(0)} s, largest send lag ${stats.maxLagMs} ms`);
    } else {
      for (const batch of plan.batches()) {
        note(batch);
        await sink.publish(batch);
      }
    }
    await sink.close();
    console.log(`${OPTIONS.EVAL_SCENARIO}: ${plan.fleet.devices.length} devices, ${scenario.durationMs / 1000} s, ${events} events, ${labels.length} faults`);
    if (!paced) await waitFor('detector ready', () => detectorReady(port));
    // Settled: the count has not moved for longer than the detector holds a quiet device's last windows. The
    // replay sends everything within seconds, so a device whose camera never sends (demo.yaml's dev-0005) may
    // send its whole stream while the camera is still awaited (DEFAULT_MODALITY_IDLE_MS); its windows then close
    // when the detector's idle sweep flushes it (10 s of silence, swept every 2 s; alignment.service.ts).
    const settleMs = DEFAULT_MODALITY_IDLE_MS + 15_000;
    let last = -1;
    let changedAt = Date.now();
    await waitFor(
      'results to settle',
      async () => {
        const n = Number(
          (
            (await (await ch.query({ query: `SELECT count() AS n FROM ${database}.anomaly_results FINAL`, format: 'JSONEachRow' })).json()) as { n: string }[]
          )[0]?.n,
        );
        if (n !== last) [last, changedAt] = [n, Date.now()];
        await new Promise((r) => setTimeout(r, 1000));
        return n > 0 && Date.now() - changedAt > settleMs ? true : undefined;
      },
      600_000,
    );
    type Row = {
      device_id: string;
      window_start_ms: string;
      window_end_ms: string;
      is_anomaly: number;
      faults: string;
      modalities: string[];
      modality_scores: number[];
      modality_thresholds: number[];
    };
    const rows = (await (
      await ch.query({
        query: `SELECT device_id, toString(window_start_ms) AS window_start_ms, toString(window_end_ms) AS window_end_ms, is_anomaly, length(sensor_fault_channels) AS faults, modalities, modality_scores, modality_thresholds FROM ${database}.anomaly_results FINAL`,
        format: 'JSONEachRow',
      })
    ).json()) as Row[];
    const report = evaluateLive(
      rows.map((r) => ({
        deviceId: r.device_id,
        windowStartMs: Number(r.window_start_ms),
        windowEndMs: Number(r.window_end_ms),
        isAnomaly: Number(r.is_anomaly) === 1,
        sensorFaults: Array(Number(r.faults)),
      })),
      labels,
    );
    if (OPTIONS.EVAL_DUMP_FILE) {
      writeFileSync(OPTIONS.EVAL_DUMP_FILE, JSON.stringify({ scenario: OPTIONS.EVAL_SCENARIO, startMs, labels, rows }));
      console.log(`labels and windows written to ${OPTIONS.EVAL_DUMP_FILE}`);
    }
    console.log(
      `windows ${rows.length}; normal windows ${report.normalWindows}, false alarms ${report.falseAlarms} (${(100 * report.falseAlarmRate).toFixed(2)} %)`,
    );
    // Where the false alarms are (device, seconds into the run, process anomaly or sensor fault): tells a
    // threshold problem from an edge-of-stream one.
    if (report.falseAlarmWindows.length > 0)
      console.log(
        `false alarms at: ${report.falseAlarmWindows
          .map((v) => `${v.deviceId}@${((v.windowStartMs - startMs) / 1000).toFixed(0)}s${(v.sensorFaults?.length ?? 0) > 0 ? ' (sensor fault)' : ''}`)
          .join(', ')}`,
      );
    const perDevice = new Map<string, number>();
    for (const r of rows) perDevice.set(r.device_id, (perDevice.get(r.device_id) ?? 0) + 1);
    console.log(
      `windows per device: ${[...perDevice]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([d, n]) => `${d} ${n}`)
        .join(', ')}`,
    );
    // windows/flagged/recall: windows whose midpoint lies in the fault; straddling: those that only overlap an edge
    // (flagged/all), and the recall when they count as fault windows too (libs/detection live-evaluation.ts).
    console.log('fault type       faults  windows  flagged  recall  straddling  recall incl. straddling  median delay');
    for (const [type, f] of Object.entries(report.byFaultType).sort()) {
      const delay = f.medianDelayMs === undefined ? 'missed' : `${(f.medianDelayMs / 1000).toFixed(1)} s`;
      const straddling = `${f.straddlingFlagged}/${f.straddling}`;
      console.log(
        `${type.padEnd(16)} ${String(f.faults).padStart(6)} ${String(f.windows).padStart(8)} ${String(f.flagged).padStart(8)}  ${f.recall.toFixed(3)}  ${straddling.padStart(10)}  ${f.recallWithStraddling.toFixed(3).padStart(23)}  ${delay}`,
      );
    }
  } finally {
    detector.kill('SIGTERM');
    if (OPTIONS.EVAL_KEEP_DATABASE) console.log(`results kept in ClickHouse database ${database}`);
    else await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
    await ch.close();
    const created = (await admin.listTopics()).filter((t) => t.endsWith(suffix));
    if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => {});
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);

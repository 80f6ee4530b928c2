/**
 * The first end-to-end slice on the real stack: simulators publish a small fleet with injected faults →
 * the detector (a separate process) → rows in ClickHouse and results in Kafka. Detection quality against the
 * simulators' ground-truth labels is printed and asserted above a floor. Mid-stream the detector is killed
 * with SIGKILL and restarted: every window must then be present exactly once, with no gap. At the end it is
 * stopped with SIGTERM: it must drain and commit exactly up to the events its open windows still hold.
 */
import type { ChildProcess } from 'node:child_process';
import { processEnv } from '@vigil/config';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import { type AnomalyResult, type GroundTruthLabel, type SensorReading, type ShapExplanation } from '@vigil/contracts';
import { AvroSerde, createKafka, ensureTopics, readTopicToEnd } from '@vigil/kafka';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { KafkaSink, planRun, type PlannedSend, validateScenario } from '@vigil/simulators';
import { detectorReady, spawnDetector, suffixedTopics, uniqueName, uniqueTableName, waitFor } from '@vigil/testing';

const stack = inject('stack');
const ROOT = resolve(__dirname, '..');
const HOP_MS = 1000;
const WINDOW_MS = 3000;

const suffix = `.${uniqueName('e2e')}`;
/** A registry folder of our own, so the test can publish a new model version mid-stream. */
const modelDir = join(mkdtempSync(join(tmpdir(), 'vigil-e2e-models-')), 'pump-synthetic');
cpSync(join(ROOT, 'models', 'sensor', 'pump-synthetic', 'v1'), join(modelDir, 'v1'), { recursive: true });

/** Publishes v2 of the model (the same weights under a new version) the way a trainer would: a new folder. */
function publishModelV2(): void {
  cpSync(join(modelDir, 'v1'), join(modelDir, 'v2'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(modelDir, 'v2', 'model.json'), 'utf8')) as { version: string };
  writeFileSync(join(modelDir, 'v2', 'model.json'), JSON.stringify({ ...manifest, version: 'v2' }));
}
const database = uniqueTableName('e2e');
const topics = suffixedTopics(suffix);

const scenario = validateScenario({
  name: 'e2e',
  seed: 42,
  durationS: 240,
  fleet: [
    {
      name: 'pumps',
      count: 6,
      sensor: { source: 'synthetic', rateHz: 10 },
      audio: { source: 'synthetic', chunkS: 1, sampleRate: 8000 },
      image: { source: 'synthetic', periodS: 5, width: 32, height: 32 },
    },
  ],
  timing: { latencyMs: 20, jitterMs: 40, late: { probability: 0.002, minDelayMs: 5000, maxDelayMs: 8000 }, drop: { sensor: 0.002, audio: 0, image: 0 } },
  faults: {
    scheduled: [
      { device: 'dev-0001', type: 'bearing_wear', startS: 60, rampS: 20, endS: 200, severity: 1 },
      { device: 'dev-0002', type: 'overheating', startS: 90, rampS: 10, endS: 200, severity: 1 },
      { device: 'dev-0003', type: 'cavitation', startS: 120, rampS: 5, endS: 200, severity: 1 },
    ],
  },
});

function startDetector(port: number): ChildProcess {
  return spawnDetector({
    stack,
    database,
    suffix,
    port,
    env: {
      DETECTOR_EXPECTED_MODALITIES: 'SENSOR,AUDIO,IMAGE',
      // The crash-safety and detection floors of the sensor path. The fused model is measured by npm run eval:live:
      // on this scenario's 8 kHz sound it scores sensor + image only and its false alarms varied run to run
      // (0.6-8.7 % of normal windows), which a floor test must not depend on.
      DETECTOR_MULTIMODAL_MODEL_DIR: 'none',
      // The sensor model alone, so the served version is the sensor model's (the image scorer: image-scoring.e2e.test.ts;
      // the sound fallback, which would serve here without the fused model: eval:live).
      DETECTOR_IMAGE_MODEL_DIR: 'none',
      DETECTOR_AUDIO_MODEL_DIR: 'none',
      DETECTOR_WINDOW_MS: String(WINDOW_MS),
      DETECTOR_HOP_MS: String(HOP_MS),
      DETECTOR_SENSOR_MODEL_DIR: modelDir,
      DETECTOR_MODEL_POLL_MS: '500',
      // The replayed backlog flags far more windows a second than a live fleet: attribute latents for all of them.
      DETECTOR_LATENT_ATTRIBUTIONS_PER_S: '10000',
      // Small flushes so the kill lands between durable writes, not after the last one.
      DETECTOR_FLUSH_INTERVAL_MS: '200',
    },
  });
}

const ready = detectorReady;

async function rows<T>(ch: ClickHouseClient, query: string): Promise<T[]> {
  return (await (await ch.query({ query, format: 'JSONEachRow' })).json()) as T[];
}

describe('detector end to end (simulators → Kafka → detector → ClickHouse + Kafka)', () => {
  const ch = createClient({ url: stack.clickhouseUrl });
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'e2e', logLevel: logLevel.NOTHING });
  let detector: ChildProcess | undefined;
  let sink: KafkaSink;
  let startMs = 0;
  let killedAtMs = 0;
  let batches: PlannedSend[][] = [];
  const port = 19_000 + Math.floor(Math.random() * 1000);
  const publish = async (part: PlannedSend[][]): Promise<void> => {
    for (const batch of part) await sink.publish(batch);
  };

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(topics));
    await admin.disconnect();
    sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'e2e-sim', topics: { ...topics } });
    const plan = planRun(scenario, { startMs: Math.ceil(Date.now() / 1000) * 1000, streams: new Set(['sensor', 'audio', 'image', 'label']) });
    startMs = plan.fleet.startMs;
    batches = [...plan.batches()];
    console.log(`planned ${batches.flat().length} events for ${plan.fleet.devices.length} devices in ${batches.length} send batches`);
  });

  afterAll(async () => {
    detector?.kill('SIGKILL');
    await sink?.close();
    // VIGIL_E2E_KEEP=1 keeps the results for a look afterwards.
    if (processEnv().VIGIL_E2E_KEEP === '1') console.log(`kept ClickHouse database ${database}, topics *${suffix}`);
    else await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
    await ch.close();
  });

  it('survives kill -9 and a hot model swap mid-stream with every window present exactly once', async () => {
    const half = Math.floor(batches.length / 2);
    await publish(batches.slice(0, half));
    detector = startDetector(port);
    await waitFor('detector ready', () => ready(port));
    const someDone = await waitFor('first results', async () => {
      const [r] = await rows<{ n: string }>(ch, `SELECT count() AS n FROM ${database}.anomaly_results`);
      return Number(r?.n) > 100 ? Number(r?.n) : undefined;
    });
    detector.kill('SIGKILL');
    await new Promise((r) => detector!.once('exit', r));
    killedAtMs = Date.now();
    console.log(`killed the detector with SIGKILL at ${killedAtMs} after ${someDone} rows; publishing the third quarter`);
    await publish(batches.slice(half, half + Math.floor(half / 2)));

    detector = startDetector(port);
    await waitFor('detector ready again', () => ready(port));
    publishModelV2();
    await waitFor('hot model swap', async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return /vigil_detector_model_swaps_total 1/.test(metrics) ? true : undefined;
    });
    console.log(`swapped to model v2 without a restart at ${Date.now()}; publishing the rest`);
    await publish(batches.slice(half + Math.floor(half / 2)));
    // Windows close by watermark: each device's last windows stay open, so wait for the count to settle.
    let last = -1;
    await waitFor(
      'results to settle',
      async () => {
        const [r] = await rows<{ n: string }>(ch, `SELECT count() AS n FROM ${database}.anomaly_results FINAL`);
        const n = Number(r?.n);
        const settled = n === last && n > 0;
        last = n;
        await new Promise((res) => setTimeout(res, 2500));
        return settled ? true : undefined;
      },
      180_000,
    );

    const versions = await rows<{ model_version: string; n: string }>(
      ch,
      `SELECT model_version, count() AS n FROM ${database}.anomaly_results FINAL GROUP BY model_version ORDER BY model_version`,
    );
    console.log(`windows per model version: ${versions.map((v) => `${v.model_version}=${v.n}`).join(', ')}`);
    expect(versions.map((v) => v.model_version)).toEqual(['pump-synthetic@v1', 'pump-synthetic@v2']);
    expect(Number(versions[1]!.n)).toBeGreaterThan(100);

    const perDevice = await rows<{ device_id: string; windows: string; distinct_windows: string; first: string; last: string }>(
      ch,
      `SELECT device_id, count() AS windows, uniqExact(window_start_ms) AS distinct_windows,
              toString(min(window_start_ms)) AS first, toString(max(window_start_ms)) AS last
       FROM ${database}.anomaly_results FINAL GROUP BY device_id ORDER BY device_id`,
    );
    expect(perDevice).toHaveLength(6);
    for (const d of perDevice) {
      const expected = (Number(d.last) - Number(d.first)) / HOP_MS + 1;
      expect({ device: d.device_id, windows: Number(d.windows) }).toEqual({ device: d.device_id, windows: Number(d.distinct_windows) });
      expect({ device: d.device_id, windows: Number(d.windows) }).toEqual({ device: d.device_id, windows: expected }); // no gap
      // The stream covers 240 s: all but the last few windows (still open) are there.
      expect(Number(d.last) - startMs).toBeGreaterThan(240_000 - 4 * WINDOW_MS);
    }
  });

  it('publishes the results to Kafka and detects the injected faults above a floor', async () => {
    const serde = AvroSerde.forUrl(stack.registryUrl);
    const readFromMs = Date.now();
    const results = (await readTopicToEnd(kafka, topics.results, serde)).map((r) => r.value as AnomalyResult);
    const labels = (await readTopicToEnd(kafka, topics.label, serde)).map((r) => r.value as GroundTruthLabel);
    expect(labels.length).toBeGreaterThanOrEqual(3);
    const distinct = new Map(results.map((r) => [`${r.deviceId}@${r.windowStartMs}`, r]));
    // The detector may still emit a last window or two (a late event wakes an idle device's flush), and ClickHouse
    // trails the results topic by up to its flush interval: wait until it holds what the topic holds.
    type Row = { device_id: string; window_start_ms: string; model_version: string; processed_at_ms: string };
    const inClickHouse = await waitFor(
      'ClickHouse to hold every window on the results topic',
      async () => {
        const all = await rows<Row>(
          ch,
          `SELECT device_id, toString(window_start_ms) AS window_start_ms, model_version, toString(processed_at_ms) AS processed_at_ms FROM ${database}.anomaly_results FINAL`,
        );
        const keys = new Set(all.map((r) => `${r.device_id}@${r.window_start_ms}`));
        return [...distinct.keys()].every((k) => keys.has(k)) ? all : undefined;
      },
      15_000,
    );
    const missing = inClickHouse.filter((r) => !distinct.has(`${r.device_id}@${r.window_start_ms}`) && Number(r.processed_at_ms) < readFromMs);
    console.log(`results topic holds ${distinct.size} windows, ClickHouse ${inClickHouse.length}`);
    if (missing.length > 0) console.log(`in ClickHouse but not on the results topic: ${missing.length}, e.g. ${JSON.stringify(missing.slice(0, 3))}`);
    // Kafka holds every window ClickHouse holds (at least once), with one known gap, seen once in about ten runs
    // and not yet explained (see the closing note of 2026-11-27): a few windows of one scoring call made just
    // before the SIGKILL reached ClickHouse but not the results topic, and the restart did not re-emit them.
    // Any window missing elsewhere fails here (windows scored after the topic was read are not counted).
    for (const m of missing) {
      const beforeKillMs = killedAtMs - Number(m.processed_at_ms);
      expect(beforeKillMs >= 0 && beforeKillMs < 2000, `${JSON.stringify(m)} is missing from the results topic, ${beforeKillMs} ms before the kill`).toBe(true);
    }
    expect(missing.length).toBeLessThanOrEqual(10);
    for (const r of distinct.values()) expect(r.modalities.length + r.missingModalities.length).toBeGreaterThan(0);

    // Window-level truth: a window is faulty when it overlaps a label's fully ramped span.
    const faulty = (r: AnomalyResult): boolean =>
      labels.some((l) => l.deviceId === r.deviceId && r.windowEndMs > l.startMs + l.rampMs && r.windowStartMs < l.endMs);
    const warmup = (r: AnomalyResult): boolean =>
      labels.some((l) => l.deviceId === r.deviceId && r.windowEndMs > l.startMs && r.windowStartMs < l.startMs + l.rampMs);
    let tp = 0,
      fp = 0,
      fn = 0,
      tn = 0;
    for (const r of distinct.values()) {
      if (warmup(r)) continue; // ramps are neither clearly normal nor clearly faulty
      const truth = faulty(r);
      if (r.isAnomaly && truth) tp++;
      else if (r.isAnomaly) fp++;
      else if (truth) fn++;
      else tn++;
    }
    const recall = tp / (tp + fn);
    const precision = tp / Math.max(1, tp + fp);
    const falseAlarmRate = fp / (fp + tn);
    const detectedFaults = labels.filter((l) => [...distinct.values()].some((r) => r.deviceId === l.deviceId && r.isAnomaly && faulty(r)));
    console.log(
      `detection: windows ${distinct.size}, recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, false-alarm rate ${falseAlarmRate.toFixed(4)}, faults detected ${detectedFaults.length}/${labels.length}`,
    );
    for (const l of labels) {
      const inFault = [...distinct.values()].filter((r) => r.deviceId === l.deviceId && r.windowEndMs > l.startMs + l.rampMs && r.windowStartMs < l.endMs);
      const hit = inFault.filter((r) => r.isAnomaly).length;
      const scores = inFault.map((r) => r.modalities[0]?.score ?? 0).sort((a, b) => a - b);
      console.log(
        `  ${l.faultType} on ${l.deviceId}: ${hit}/${inFault.length} windows flagged, median score ${scores[scores.length >> 1]?.toFixed(4)}, threshold ~${inFault[0]?.modalities[0]?.threshold.toFixed(4)}`,
      );
    }
    const flagged = [...distinct.values()].find((r) => r.isAnomaly && faulty(r) && r.rootCause);
    if (flagged) console.log(`example root cause (${flagged.deviceId}): ${flagged.rootCause!.summary}`);
    // Root cause: on flagged windows inside a fault, the top channel should be one the fault drives.
    const explained = [...distinct.values()].filter((r) => r.isAnomaly && faulty(r) && r.rootCause);
    const rightChannel = explained.filter((r) => {
      const label = labels.find((l) => l.deviceId === r.deviceId && r.windowEndMs > l.startMs + l.rampMs && r.windowStartMs < l.endMs)!;
      return label.channels.includes(r.rootCause!.topChannels[0]!.name);
    });
    console.log(`root cause: top channel is one the fault drives in ${rightChannel.length}/${explained.length} explained fault windows`);
    expect(explained.length).toBeGreaterThan(50);
    // The test lifts the latent-attribution budget (DETECTOR_LATENT_ATTRIBUTIONS_PER_S): every window the sensor
    // model flagged and explained names them (windows only the fused model flagged name modality shares instead, and
    // windows past the per-call root-cause budget keep just their sensor-fault cause).
    const bySensor = explained.filter((r) => r.modalities.some((m) => m.modality === 'SENSOR' && m.isAnomaly) && r.rootCause!.topTimeSteps.length > 0);
    expect(bySensor.length).toBeGreaterThan(50);

    // The root-cause worker's KernelSHAP explanations follow flagged results with the same key.
    const explanations = (await readTopicToEnd(kafka, topics.shap, serde)).map((r) => r.value as ShapExplanation);
    console.log(`KernelSHAP explanations: ${explanations.length} for ${[...distinct.values()].filter((r) => r.isAnomaly).length} flagged windows`);
    expect(explanations.length).toBeGreaterThan(10);
    // (A window replayed after the kill has several results; its explanation follows one of them.)
    for (const e of explanations) {
      const followed = results.filter(
        (r) =>
          r.deviceId === e.deviceId &&
          r.windowStartMs === e.windowStartMs &&
          r.windowEndMs === e.windowEndMs &&
          r.isAnomaly &&
          r.processedAtMs <= e.processedAtMs,
      );
      expect(followed.length, `${e.deviceId}@${e.windowStartMs}: no flagged result before its explanation`).toBeGreaterThan(0);
      expect(Math.abs(e.contributions.reduce((s, c) => s + c.value, 0) - (e.score - e.baseValue))).toBeLessThan(1e-3 * Math.max(1, e.score));
    }
    // ... and are stored beside the results for the API's window report, once each (FINAL). Topic and table are
    // written side by side, best effort: the kill -9 may land between the two writes of one outbox batch (every
    // explanation computed since the last publish), so a few keys may sit on one side only.
    const stored = await rows<{ k: string }>(
      ch,
      `SELECT concat(device_id, '@', toString(window_start_ms), '/', modality) AS k FROM ${database}.shap_explanations FINAL`,
    );
    const [storedKeys, publishedKeys] = [new Set(stored.map((s) => s.k)), new Set(explanations.map((e) => `${e.deviceId}@${e.windowStartMs}/${e.modality}`))];
    const onOneSideOnly = [...storedKeys].filter((k) => !publishedKeys.has(k)).length + [...publishedKeys].filter((k) => !storedKeys.has(k)).length;
    expect(onOneSideOnly, `${storedKeys.size} stored, ${publishedKeys.size} published`).toBeLessThanOrEqual(Math.max(2, 0.05 * publishedKeys.size));
    expect(stored.length).toBe(storedKeys.size);
    for (const r of bySensor) expect(r.rootCause!.topLatents).toHaveLength(3);
    expect(rightChannel.length / explained.length).toBeGreaterThan(0.7);
    expect(detectedFaults.length).toBe(labels.length);
    expect(recall).toBeGreaterThan(0.5);
    expect(falseAlarmRate).toBeLessThan(0.05);
  });

  it('stops gracefully on SIGTERM: results durable, offsets committed up to what open windows still hold', async () => {
    const exited = new Promise<number | null>((r) => detector!.once('exit', (code) => r(code)));
    detector!.kill('SIGTERM');
    expect(await exited).toBe(0);
    detector = undefined;

    // What the detector held when it stopped: per device, the events at or after the start of its first window
    // not yet in ClickHouse. Each sensor partition may commit up to the smallest such offset, and no further.
    const lastDurable = new Map(
      (
        await rows<{ device_id: string; last: string }>(
          ch,
          `SELECT device_id, toString(max(window_start_ms)) AS last FROM ${database}.anomaly_results FINAL GROUP BY device_id`,
        )
      ).map((r) => [r.device_id, Number(r.last)]),
    );
    const readings = await readTopicToEnd(kafka, topics.sensor, AvroSerde.forUrl(stack.registryUrl));
    const expected = new Map<number, bigint>();
    for (const r of readings) {
      const end = BigInt(r.offset) + 1n; // a partition whose events are all in durable windows commits past its last one
      if (!expected.has(r.partition) || end > expected.get(r.partition)!) expected.set(r.partition, end);
    }
    const held = new Map<number, bigint>();
    for (const r of readings) {
      const reading = r.value as SensorReading;
      const last = lastDurable.get(reading.deviceId);
      if (last !== undefined && reading.eventTimeMs >= last + HOP_MS) {
        const offset = BigInt(r.offset);
        if (!held.has(r.partition) || offset < held.get(r.partition)!) held.set(r.partition, offset);
      }
    }
    for (const [partition, offset] of held) expected.set(partition, offset);

    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: `detector${suffix}`, topics: [topics.sensor.name] }).finally(() => admin.disconnect());
    const actual = new Map(committed!.partitions.filter((p) => expected.has(p.partition)).map((p) => [p.partition, BigInt(p.offset)]));
    console.log(`committed on SIGTERM: ${[...actual].map(([p, o]) => `p${p}=${o}`).join(' ')} (held by open windows: ${held.size} partitions)`);
    expect(actual).toEqual(expected);
  });
});

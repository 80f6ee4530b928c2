/**
 * The IMAGE scorer live: the simulators publish a small fleet with 64×64 thermal frames every 5 s (an overheating
 * pump, a pump with a bearing hot spot, a healthy one) → a real detector serving the sensor VAE and the thermal
 * conv VAE (ONNX Runtime), the fused model off (issue 13's fallback: the image scorer stands on its own) → results
 * on Kafka and latents in ClickHouse. Asserts: windows carry an IMAGE score and threshold; some overheating windows
 * are flagged on IMAGE; a window led by IMAGE names the map's top box in frame pixels; each frame is scored (and
 * learnt by SPOT) once, not once per window it sits in or is carried into. A camera that sends PNG (`cam-0001`,
 * the healthy pump's readings and frames, losslessly encoded) is decoded at ingest and scored exactly as the raw
 * frames are; a frame that does not decode goes to the dead-letter topic with the reason.
 */
import type { ChildProcess } from 'node:child_process';
import { createClient } from '@clickhouse/client';
import { type AnomalyResult, type DeadLetter, type GroundTruthLabel, type ImageFrame, type SensorReading } from '@vigil/contracts';
import { AvroPublisher, AvroSerde, createKafka, ensureTopics, readTopicToEnd } from '@vigil/kafka';
import { KafkaSink, planRun, validateScenario } from '@vigil/simulators';
import { detectorReady, spawnDetector, suffixedTopics, uniqueName, uniqueTableName, waitFor } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import sharp from 'sharp';
import { afterAll, describe, expect, inject, it } from 'vitest';

const stack = inject('stack');
const suffix = `.${uniqueName('image')}`;
const database = uniqueTableName('image');
const topics = suffixedTopics(suffix);
/** The PNG camera: a twin of the healthy pump whose frames arrive encoded. */
const CAMERA = 'cam-0001';
const DURATION_S = 180;
const PERIOD_S = 5;

const scenario = validateScenario({
  name: 'image-e2e',
  seed: 23,
  durationS: DURATION_S,
  fleet: [
    {
      name: 'pumps',
      count: 3,
      sensor: { source: 'synthetic', rateHz: 10 },
      image: { source: 'synthetic', periodS: PERIOD_S, width: 64, height: 64 },
    },
  ],
  timing: { latencyMs: 20, jitterMs: 40, drop: { sensor: 0, audio: 0, image: 0 } },
  faults: {
    scheduled: [
      { device: 'dev-0002', type: 'overheating', startS: 40, rampS: 10, endS: DURATION_S, severity: 1 },
      { device: 'dev-0003', type: 'bearing_wear', startS: 40, rampS: 20, endS: DURATION_S, severity: 1 },
    ],
  },
});

describe('image frames scored live by the thermal conv VAE', () => {
  const ch = createClient({ url: stack.clickhouseUrl });
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'image-e2e', logLevel: logLevel.NOTHING });
  let detector: ChildProcess | undefined;
  const port = 23_000 + Math.floor(Math.random() * 1000);

  afterAll(async () => {
    detector?.kill('SIGKILL');
    await ch.close();
  });

  it('publishes IMAGE scores, flags overheating windows on IMAGE with the hot box named, and scores each frame once', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, Object.values(topics));
    await admin.disconnect();
    const plan = planRun(scenario, { startMs: Math.ceil(Date.now() / 1000) * 1000, streams: new Set(['sensor', 'image', 'label']) });
    const sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'image-e2e-sim', topics: { ...topics } });
    let frames = 0;
    const twin: { readings: SensorReading[]; frames: ImageFrame[] } = { readings: [], frames: [] };
    for (const batch of plan.batches()) {
      frames += batch.filter((s) => s.stream === 'image').length;
      for (const send of batch) {
        if (send.key !== 'dev-0001') continue;
        if (send.stream === 'sensor') twin.readings.push({ ...send.value, deviceId: CAMERA });
        if (send.stream === 'image') twin.frames.push(send.value);
      }
      await sink.publish(batch);
    }
    await sink.close();
    const png = await Promise.all(
      twin.frames.map(async (f) => ({
        ...f,
        deviceId: CAMERA,
        encoding: 'PNG' as const,
        data: await sharp(f.data, { raw: { width: f.width, height: f.height, channels: f.channels as 1 } })
          .png()
          .toBuffer(),
      })),
    );
    const corrupt: ImageFrame = { ...png[3]!, seq: 9999, eventTimeMs: png[3]!.eventTimeMs + 1, encoding: 'JPEG', data: Buffer.from('not a JPEG') };
    frames += png.length;
    const publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'image-e2e-camera' },
      [topics.sensor, topics.image],
      kafka,
    );
    await publisher.publish(
      topics.sensor,
      twin.readings.map((r) => ({ key: CAMERA, value: r, timestampMs: r.eventTimeMs })),
    );
    await publisher.publish(
      topics.image,
      [...png, corrupt].map((f) => ({ key: CAMERA, value: f, timestampMs: f.eventTimeMs })),
    );
    await publisher.close();

    detector = spawnDetector({
      stack,
      database,
      suffix,
      port,
      quiet: true,
      env: {
        DETECTOR_EXPECTED_MODALITIES: 'SENSOR,IMAGE',
        DETECTOR_MULTIMODAL_MODEL_DIR: 'none',
        DETECTOR_FLUSH_INTERVAL_MS: '200',
        // The replayed backlog makes scoring calls far larger than a live fleet's: explain every flagged window.
        DETECTOR_ROOT_CAUSE_PER_BATCH: '10000',
      },
    });
    await waitFor('detector ready', () => detectorReady(port));
    let last = -1;
    await waitFor(
      'results to settle',
      async () => {
        const [r] = (await (await ch.query({ query: `SELECT count() AS n FROM ${database}.anomaly_results FINAL`, format: 'JSONEachRow' })).json()) as {
          n: string;
        }[];
        const n = Number(r?.n);
        const settled = n === last && n > 4 * (DURATION_S - 10);
        last = n;
        await new Promise((res) => setTimeout(res, 2500));
        return settled ? true : undefined;
      },
      180_000,
    );

    const serde = AvroSerde.forUrl(stack.registryUrl);
    const results = [
      ...new Map(
        (await readTopicToEnd(kafka, topics.results, serde)).map((r) => [`${r.value.deviceId}@${r.value.windowStartMs}`, r.value as AnomalyResult]),
      ).values(),
    ];
    const labels = (await readTopicToEnd(kafka, topics.label, serde)).map((r) => r.value as GroundTruthLabel);
    const image = (r: AnomalyResult) => r.modalities.find((m) => m.modality === 'IMAGE');
    const withImage = results.filter((r) => image(r));
    console.log(`${results.length} windows, ${withImage.length} with an IMAGE score, ${frames} frames published`);

    // Every window after a device's first frame carries the IMAGE score and its threshold (own frame or carried).
    expect(withImage.length).toBeGreaterThan(0.9 * results.length);
    for (const r of withImage) expect(image(r)!.threshold).toBeGreaterThan(0);

    const ramped = (deviceId: string) => labels.find((l) => l.deviceId === deviceId)!;
    const inFault = (r: AnomalyResult) => {
      const l = labels.find((x) => x.deviceId === r.deviceId);
      return l !== undefined && r.windowStartMs >= l.startMs + l.rampMs && r.windowEndMs <= l.endMs;
    };
    const overheating = withImage.filter((r) => r.deviceId === 'dev-0002' && inFault(r));
    const overheatingFlagged = overheating.filter((r) => image(r)!.isAnomaly);
    const hotSpot = withImage.filter((r) => r.deviceId === 'dev-0003' && inFault(r));
    const hotSpotFlagged = hotSpot.filter((r) => image(r)!.isAnomaly);
    const healthy = withImage.filter((r) => r.deviceId === 'dev-0001' || r.deviceId === CAMERA);
    const falseAlarms = healthy.filter((r) => image(r)!.isAnomaly);
    console.log(
      `flagged on IMAGE: overheating ${overheatingFlagged.length}/${overheating.length}, bearing hot spot ${hotSpotFlagged.length}/${hotSpot.length}, healthy pump ${falseAlarms.length}/${healthy.length}`,
    );
    expect(ramped('dev-0002')).toBeDefined();
    expect(overheatingFlagged.length).toBeGreaterThan(0);
    expect(hotSpotFlagged.length).toBeGreaterThan(hotSpot.length / 2);
    expect(falseAlarms.length).toBeLessThanOrEqual(0.05 * healthy.length);

    // The PNG camera's frames are the healthy pump's, decoded at ingest: each is scored as its raw twin was.
    const distinctScores = (deviceId: string) => new Set(withImage.filter((r) => r.deviceId === deviceId).map((r) => image(r)!.score.toFixed(4)));
    const raw = distinctScores('dev-0001');
    const decoded = distinctScores(CAMERA);
    console.log(`PNG camera: ${decoded.size} distinct IMAGE scores for ${png.length} frames (raw twin: ${raw.size})`);
    // (Healthy frames repeat, so there are fewer distinct scores than frames. The twins' windows have their own
    // phases, so a frame at the very end of the run may fall in no window of one of them.)
    expect(decoded.size).toBeGreaterThan(5);
    for (const score of decoded) expect(raw.has(score), `${score}: a PNG frame scored unlike every raw frame`).toBe(true);
    expect(decoded.size).toBeGreaterThanOrEqual(raw.size - 1);
    const letters = (await readTopicToEnd(kafka, topics.deadLetters, serde)).map((r) => r.value as DeadLetter);
    const undecodable = letters.filter((l) => l.sourceTopic === topics.image.name);
    expect(undecodable).toHaveLength(1);
    expect(undecodable[0]!.errorClass).toBe('UndecodableFrameError');
    expect(undecodable[0]!.errorMessage).toMatch(/^JPEG frame of cam-0001 does not decode: /);

    // A window flagged on IMAGE is explained by the anomaly map's top box, in frame pixels: first when IMAGE leads,
    // after the lead's contributions when another modality leads (the sensor VAE on the same fault, mostly).
    const explained = withImage.filter((r) => image(r)!.isAnomaly && r.rootCause);
    const box = (r: AnomalyResult) => r.rootCause!.topChannels.find((c) => c.name.startsWith('IMAGE['));
    expect(explained.length).toBeGreaterThan(0);
    for (const r of explained) {
      expect(box(r)?.name, JSON.stringify(r.rootCause)).toMatch(/^IMAGE\[x=\d+\.\.\d+,y=\d+\.\.\d+\]$/);
      expect(box(r)!.share).toBeGreaterThan(0);
      expect(r.rootCause!.summary).toMatch(/Image anomaly concentrated in box x \d+–\d+, y \d+–\d+ of the 64×64 frame/);
    }
    const spot = explained.filter((r) => r.deviceId === 'dev-0003');
    const boxes = new Map<string, number>();
    for (const r of spot) boxes.set(box(r)!.name, (boxes.get(box(r)!.name) ?? 0) + 1);
    console.log(`bearing hot spot: top boxes ${JSON.stringify(Object.fromEntries(boxes))}; e.g. "${spot.at(-1)?.rootCause?.summary}"`);
    // The hot spot stays where the bearing is: one box names most of its windows.
    expect(Math.max(...boxes.values())).toBeGreaterThan(0.5 * spot.length);

    // Scored once per frame: the IMAGE latents (one per model call per window) number the frames, not the windows.
    const [latents] = (await (
      await ch.query({
        query: `SELECT count() AS n, uniqExact(device_id, window_start_ms) AS w FROM ${database}.latent_vectors WHERE modality = 'IMAGE'`,
        format: 'JSONEachRow',
      })
    ).json()) as { n: string; w: string }[];
    console.log(`IMAGE latents: ${latents!.n} (frames ${frames}, windows with an IMAGE score ${withImage.length})`);
    expect(Number(latents!.n)).toBeLessThanOrEqual(frames);
    expect(Number(latents!.n)).toBeGreaterThan(0.9 * frames);
    expect(withImage.length).toBeGreaterThan(4 * Number(latents!.n));
  }, 300_000);
});

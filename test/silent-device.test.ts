/**
 * A device that falls silent is one offline state change, not one empty window per hop: the real detector gets
 * 20 s of a pump's readings, then nothing for 5 minutes (event time), then 20 s more. ClickHouse must hold only
 * the partial windows at the edges of the silence (at most 3 per edge for 3 s windows on a 1 s hop), and windows resume from the next data.
 */
import type { ChildProcess } from 'node:child_process';
import { createClient } from '@clickhouse/client';
import { type SensorReading, TOPICS, withSuffix } from '@vigil/contracts';
import { AvroPublisher, ensureTopics, createKafka } from '@vigil/kafka';
import { uniqueName, uniqueTableName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { detectorReady, spawnDetector, waitFor } from '@vigil/testing';

const stack = inject('stack');
const suffix = `.${uniqueName('silent')}`;
const database = uniqueTableName('silent');
const sensorTopic = withSuffix(TOPICS.sensorReadings, suffix);
const CHANNELS = { bearing_temp: 60, flow: 40, motor_current: 20, motor_temp: 70, pressure: 3.5, rpm: 1480, vibration_rms: 2 };
const SILENCE_MS = 5 * 60_000;

function readings(deviceId: string, fromMs: number, toMs: number): SensorReading[] {
  const out: SensorReading[] = [];
  for (let t = fromMs, i = 0; t < toMs; t += 100, i++) {
    // Deterministic small wiggle, so the model sees a live pump rather than constants.
    const values = Object.fromEntries(Object.entries(CHANNELS).map(([k, v], c) => [k, v * (1 + 0.01 * Math.sin(i / 7 + c))]));
    out.push({ deviceId, eventTimeMs: t, seq: Math.round((t - fromMs) / 100), values });
  }
  return out;
}

describe('a silent device (real detector)', () => {
  const ch = createClient({ url: stack.clickhouseUrl });
  const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'silent-test', logLevel: logLevel.NOTHING });
  let detector: ChildProcess | undefined;

  afterAll(async () => {
    detector?.kill('SIGTERM');
    await ch.command({ query: `DROP DATABASE IF EXISTS ${database}` }).catch(() => {});
    await ch.close();
  });

  it('leaves at most a handful of rows for a 5-minute silence and resumes from the next data', { timeout: 240_000 }, async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [sensorTopic]).finally(() => admin.disconnect());
    const publisher = await AvroPublisher.connect(
      { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'silent-test' },
      [sensorTopic],
      kafka,
    );
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 2 * SILENCE_MS;
    const before = readings('dev-quiet', t0, t0 + 20_000);
    const after = readings('dev-quiet', t0 + 20_000 + SILENCE_MS, t0 + 40_000 + SILENCE_MS);
    await publisher.publish(
      sensorTopic,
      [...before, ...after].map((r) => ({ key: r.deviceId, value: r, timestampMs: r.eventTimeMs })),
    );
    await publisher.close();

    const port = 20_000 + Math.floor(Math.random() * 1000);
    detector = spawnDetector({ stack, database, suffix, port, env: { DETECTOR_EXPECTED_MODALITIES: 'SENSOR', DETECTOR_FLUSH_INTERVAL_MS: '200' } });
    await waitFor('detector ready', () => detectorReady(port));
    const silenceStart = t0 + 20_000;
    const silenceEnd = silenceStart + SILENCE_MS;
    const count = async (where: string) =>
      Number(
        (
          (await (
            await ch.query({
              query: `SELECT count() AS n FROM ${database}.anomaly_results FINAL WHERE device_id = 'dev-quiet' AND ${where}`,
              format: 'JSONEachRow',
            })
          ).json()) as { n: string }[]
        )[0]!.n,
      );
    // The last window before the end of the data closes once the watermark passes it (lateness 1 s).
    await waitFor('windows after the silence', async () => ((await count(`window_start_ms >= ${silenceEnd + 10_000}`)) > 5 ? true : undefined), 90_000);
    const inSilence = await count(`window_end_ms > ${silenceStart} AND window_start_ms < ${silenceEnd}`);
    const total = await count('1');
    console.log(`silent device: ${total} windows, ${inSilence} overlapping the 5-minute silence (one per hop would be ${SILENCE_MS / 1000})`);
    // Only the partial windows at each edge, holding the data on either side: 3 s windows, 1 s hop → ≤ 3 per edge.
    expect(inSilence).toBeLessThanOrEqual(6);
    expect(total).toBeGreaterThan(25); // ~17 windows before, ~17 after
    expect(total).toBeLessThan(45);

    // The end of the stream: no traffic follows, so only the detector's idle sweep can close the windows that
    // hold the last readings (10 s of silence, then the next sweep).
    const dataEnd = t0 + 40_000 + SILENCE_MS;
    await waitFor('the windows holding the last readings', async () => ((await count(`window_end_ms >= ${dataEnd}`)) > 0 ? true : undefined), 40_000);
  });
});

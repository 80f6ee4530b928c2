/**
 * The raw-window reader on the real broker and registry: readings of two devices with send times around their
 * event times, one of them late and one sent early (device clock ahead); reading one device's range back gives
 * exactly its events in the range, whichever partition they sit in, and an empty topic answers at once.
 */
import { TOPICS, type SensorReading, withSuffix } from '@vigil/contracts';
import { AvroPublisher, AvroSerde, createKafka, ensureTopics } from '@vigil/kafka';
import { uniqueName } from '@vigil/testing';
import { logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RawWindowRepository } from './raw-window.repository';

const stack = inject('stack');
const suffix = `.${uniqueName('raw-window')}`;
const topics = {
  sensor: withSuffix(TOPICS.sensorReadings, suffix),
  audio: withSuffix(TOPICS.audioChunks, suffix),
  image: withSuffix(TOPICS.imageFrames, suffix),
};
// Two minutes ago: the broker refuses timestamps far from its clock.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 120_000;
const kafka = createKafka({ brokers: stack.kafkaBrokers, clientId: 'raw-window-spec', logLevel: logLevel.NOTHING });
let publisher: AvroPublisher;

const reading = (deviceId: string, eventTimeMs: number, seq: number): SensorReading => ({ deviceId, eventTimeMs, seq, values: { rpm: seq } });

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, Object.values(topics));
  // A just-created partition may not be hosted yet ("does not host this topic-partition"): wait until every one
  // answers an offsets request, so the one publish below lands whole (a retried batch could land twice).
  for (let attempt = 1; ; attempt++) {
    try {
      for (const t of Object.values(topics)) await admin.fetchTopicOffsets(t.name);
      break;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await admin.disconnect();
  publisher = await AvroPublisher.connect(
    { brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: 'raw-window-spec' },
    Object.values(topics),
    kafka,
  );
  // 60 s of 10 Hz readings of two devices, sent 20 ms after their event time …
  const records = ['dev-a', 'dev-b'].flatMap((d) =>
    Array.from({ length: 600 }, (_, i) => ({ key: d, value: reading(d, T0 + i * 100, i), timestampMs: T0 + i * 100 + 20 })),
  );
  // … one reading of dev-a's range delivered 25 s late, and one stamped 3 s ahead of its send time.
  records.push({ key: 'dev-a', value: reading('dev-a', T0 + 30_050, 9001), timestampMs: T0 + 55_050 });
  records.push({ key: 'dev-a', value: reading('dev-a', T0 + 31_050, 9002), timestampMs: T0 + 28_050 });
  await publisher.publish(topics.sensor, records);
}, 60_000);
afterAll(() => publisher?.close());

describe('RawWindowRepository (real Kafka)', () => {
  it('reads one device’s events of an event-time range back by timestamp, late and early ones included', async () => {
    const repo = new RawWindowRepository(kafka, AvroSerde.forUrl(stack.registryUrl), topics, { earlyMs: 5000, lateMs: 30_000, timeoutMs: 20_000 });
    const raw = await repo.read('dev-a', { fromMs: T0 + 30_000, toMs: T0 + 33_000 });
    expect(raw.sensor.map((r) => r.seq).sort((a, b) => a - b)).toEqual([...Array.from({ length: 30 }, (_, i) => 300 + i), 9001, 9002]);
    expect(raw.sensor.every((r) => r.deviceId === 'dev-a' && r.eventTimeMs >= T0 + 30_000 && r.eventTimeMs < T0 + 33_000)).toBe(true);
    expect(raw.sensor.map((r) => r.eventTimeMs)).toEqual([...raw.sensor.map((r) => r.eventTimeMs)].sort((a, b) => a - b));
    // Only the timestamp range [25 s, 63 s) of the topic's 1,202 messages was read (both devices: 2 × 350 + the
    // late and the early one), and only dev-a's in the event-time range kept; nothing in the other topics.
    expect(raw.sources[0]).toEqual({ topic: topics.sensor.name, read: 702, kept: 32 });
    expect(raw.audio).toEqual([]);
    expect(raw.image).toEqual([]);
  }, 60_000);
});

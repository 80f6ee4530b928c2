/**
 * npm run bench:kafka — prints
 *  1. Avro encode/decode rate per schema (records/s), with JSON.stringify/parse in the same process as a baseline;
 *  2. produce → consume throughput of SensorReadings through the real broker on loopback, at several batch sizes.
 * Needs the local stack (`npm run infra -- up`). BENCH_MESSAGES overrides the message count per batch size.
 */
import { loadConfig } from '@vigil/config';
import { z } from 'zod';
import { ALL_TOPICS, SAMPLE_RECORDS, type SensorReading, TOPICS, type TopicKey, renamed } from '@vigil/contracts';
import { localEndpoints } from '@vigil/infra';
import { logLevel } from 'kafkajs';
import { AvroPublisher } from '../src/avro-publisher';
import { AvroSerde } from '../src/avro-serde';
import { createKafka } from '../src/kafka-client';
import { ensureTopics } from '../src/topic-admin';

function rate(fn: () => void, minMs = 400): number {
  for (let i = 0; i < 2000; i++) fn(); // JIT warm-up, so the first schema measured is not penalised
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (let i = 0; i < 200; i++) fn();
    n += 200;
  }
  return n / ((performance.now() - start) / 1000);
}

async function asyncRate(fn: () => Promise<unknown>, minMs = 400): Promise<number> {
  for (let i = 0; i < 2000; i++) await fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (let i = 0; i < 200; i++) await fn();
    n += 200;
  }
  return n / ((performance.now() - start) / 1000);
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US').padStart(11);

async function serdeRates(registryUrl: string): Promise<void> {
  const serde = AvroSerde.forUrl(registryUrl);
  await serde.registerAll(ALL_TOPICS);
  console.log('\nAvro encode/decode (records/s; JSON baseline in the same process)');
  console.log('schema              bytes    encode      decode      json-enc    json-dec');
  for (const key of Object.keys(TOPICS) as TopicKey[]) {
    const spec = TOPICS[key] as (typeof ALL_TOPICS)[number];
    const value = SAMPLE_RECORDS[key];
    const bytes = serde.encode(spec, value);
    const json = JSON.stringify(value);
    const enc = rate(() => serde.encode(spec, value));
    const dec = await asyncRate(() => serde.decode(spec, bytes));
    const jenc = rate(() => JSON.stringify(value));
    const jdec = rate(() => JSON.parse(json));
    console.log(`${key.padEnd(18)} ${String(bytes.length).padStart(5)} ${fmt(enc)} ${fmt(dec)} ${fmt(jenc)} ${fmt(jdec)}`);
  }
}

function reading(device: number, seq: number): SensorReading {
  const values: Record<string, number> = {};
  for (let c = 0; c < 14; c++) values[`s${c + 2}`] = Math.sin(seq / 10 + c) * 10 + c;
  return { deviceId: `dev-${String(device).padStart(4, '0')}`, eventTimeMs: Date.now(), seq, values };
}

async function brokerThroughput(brokers: string[], registryUrl: string): Promise<void> {
  const total = loadConfig(z.object({ BENCH_MESSAGES: z.coerce.number().int().positive().default(50_000) }), undefined, 'bench:kafka').BENCH_MESSAGES;
  const kafka = createKafka({ brokers, clientId: 'bench', logLevel: logLevel.NOTHING });
  console.log(`\nproduce → consume through the broker (${total.toLocaleString('en-US')} SensorReadings of 14 channels, snappy, idempotent producer)`);
  console.log('batch   produce msg/s   produce MB/s   end-to-end msg/s   end-to-end MB/s');
  for (const batchSize of [10, 100, 1000, 5000]) {
    const spec = renamed(TOPICS.sensorReadings, `bench.sensor.${Date.now()}.${batchSize}`);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [spec]);
    await admin.disconnect();
    const publisher = await AvroPublisher.connect({ brokers, registryUrl, clientId: 'bench' }, [spec], kafka);

    const consumer = kafka.consumer({ groupId: `bench-${Date.now()}-${batchSize}`, maxBytes: 20 * 1024 * 1024 });
    await consumer.connect();
    await consumer.subscribe({ topic: spec.name, fromBeginning: true });
    let consumed = 0;
    let done: () => void = () => {};
    const allConsumed = new Promise<void>((r) => (done = r));
    await consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: async ({ batch }) => {
        await Promise.all(batch.messages.map((m) => publisher.serde.decode(spec, m.value)));
        consumed += batch.messages.length;
        if (consumed >= total) done();
      },
    });

    let bytes = 0;
    const t0 = performance.now();
    for (let sent = 0; sent < total; sent += batchSize) {
      const records = Array.from({ length: Math.min(batchSize, total - sent) }, (_, i) => {
        const r = reading((sent + i) % 50, sent + i);
        return { key: r.deviceId, value: r };
      });
      const messages = publisher.encode(spec, records);
      bytes += messages.reduce((acc, m) => acc + (m.value as Buffer).length, 0);
      await publisher.publishRaw(spec.name, messages);
    }
    const produceS = (performance.now() - t0) / 1000;
    await allConsumed;
    const e2eS = (performance.now() - t0) / 1000;
    const mb = bytes / 1024 / 1024;
    console.log(
      `${String(batchSize).padStart(5)} ${fmt(total / produceS)}     ${(mb / produceS).toFixed(2).padStart(8)}     ${fmt(total / e2eS)}        ${(mb / e2eS).toFixed(2).padStart(8)}`,
    );
    await consumer.disconnect();
    await publisher.close();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await cleanup.deleteTopics({ topics: [spec.name] });
    await cleanup.disconnect();
  }
}

async function main(): Promise<void> {
  const { kafkaBrokers, registryUrl } = localEndpoints();
  console.log(`node ${process.version}, ${new Date().toISOString()}`);
  await serdeRates(registryUrl);
  await brokerThroughput(kafkaBrokers, registryUrl);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

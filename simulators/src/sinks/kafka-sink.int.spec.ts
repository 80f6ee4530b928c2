import { renamed, type TopicSpec } from '@vigil/contracts';
import { AvroSerde, createKafka } from '@vigil/kafka';
import { uniqueName } from '@vigil/testing';
import { describe, expect, inject, it } from 'vitest';
import type { GroundTruthLabel, SensorReading } from '../contracts';
import { pace } from '../simulation/pacer';
import { STREAMS, type Stream } from '../simulation/sim-event';
import { planRun } from '../simulation/simulation';
import { testScenario, TEST_START_MS } from '../simulation/test-scenarios';
import { DEFAULT_STREAM_TOPICS, KafkaSink, type StreamTopics } from './kafka-sink';
import { MemorySink } from './memory-sink';

const stack = inject('stack');

describe('KafkaSink against the real broker and registry', () => {
  it('publishes a fleet run as Avro with key = device, timestamp = send time, and nothing lost', async () => {
    const topics = Object.fromEntries(STREAMS.map((s) => [s, renamed(DEFAULT_STREAM_TOPICS[s], uniqueName(`sim-${s}`))])) as StreamTopics;
    const scenario = testScenario({ devices: 2, durationS: 3, faults: [{ device: 'dev-0002', type: 'bearing_wear', startS: 1, endS: 3 }] });
    const expected = new MemorySink();
    await pace(planRun(scenario, { startMs: TEST_START_MS }).batches(), expected, { speed: 'max' });

    const sink = await KafkaSink.connect({ brokers: stack.kafkaBrokers, registryUrl: stack.registryUrl, clientId: uniqueName('sim-test'), topics });
    await pace(planRun(scenario, { startMs: TEST_START_MS }).batches(), sink, { speed: 'max' });
    await sink.close();
    for (const stream of STREAMS) expect(sink.stats[stream].messages).toBe(expected.sends.filter((s) => s.stream === stream).length);

    const serde = AvroSerde.forUrl(stack.registryUrl);
    const consumer = createKafka({ brokers: stack.kafkaBrokers, clientId: uniqueName('sim-test-consumer') }).consumer({ groupId: uniqueName('sim-test') });
    await consumer.connect();
    await consumer.subscribe({ topics: STREAMS.map((s) => topics[s].name), fromBeginning: true });
    const received: Array<{ stream: Stream; key: string; timestamp: number; value: unknown }> = [];
    const streamOf = new Map(STREAMS.map((s) => [topics[s].name, s]));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${received.length} of ${expected.sends.length} messages arrived`)), 60_000);
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          const stream = streamOf.get(topic)!;
          const value = await serde.decode(topics[stream] as TopicSpec<unknown>, message.value);
          received.push({ stream, key: message.key!.toString(), timestamp: Number(message.timestamp), value });
          if (received.length === expected.sends.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();

    const signature = (x: { stream: string; key: string; timestamp: number; value: unknown }) =>
      `${x.stream}/${x.key}/${x.timestamp}/${(x.value as SensorReading).seq ?? ''}`;
    expect(received.map(signature).sort()).toEqual(expected.sends.map((s) => signature({ ...s, timestamp: s.sendTimeMs })).sort());
    const label = received.find((r) => r.stream === 'label')!.value as GroundTruthLabel;
    expect(label).toEqual(expected.sends.find((s) => s.stream === 'label')!.value);
    const audio = received.find((r) => r.stream === 'audio')!;
    expect((audio.value as { pcm: Buffer }).pcm).toEqual(
      (expected.sends.find((s) => s.stream === 'audio' && s.key === audio.key && s.sendTimeMs === audio.timestamp)!.value as { pcm: Buffer }).pcm,
    );
  });
});

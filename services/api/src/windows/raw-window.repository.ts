/**
 * The only file that reads raw device events back from Kafka: the sensor readings, audio chunks and camera
 * frames of one device in an event-time range, from the topics' retention. Offsets come from the message
 * timestamps (the send time, `fetchTopicOffsetsByTimestamp`), widened by how early or late a device may stamp
 * and deliver; then a throw-away consumer (no commits) reads just those offsets and keeps the device's events in
 * the range. Reading all partitions keeps it independent of the producer's partitioner.
 *
 * @example
 *   const raw = await repo.read('dev-0001', { fromMs: start - 6000, toMs: end });   // { sensor, audio, image, sources }
 */
import { randomUUID } from 'node:crypto';
import type { AudioChunk, ImageFrame, SensorReading, TopicSpec } from '@vigil/contracts';
import type { AvroSerde } from '@vigil/kafka';
import type { Kafka } from 'kafkajs';

export interface RawWindowTopics {
  sensor: TopicSpec<SensorReading>;
  audio: TopicSpec<AudioChunk>;
  image: TopicSpec<ImageFrame>;
}

export interface RawWindowEvents {
  sensor: SensorReading[];
  audio: AudioChunk[];
  image: ImageFrame[];
  /** Messages read per topic (all devices), and how many were this device's in the range. */
  sources: Array<{ topic: string; read: number; kept: number }>;
}

export interface RawWindowOptions {
  /** A message may be sent this long before its event time (device clock skew). */
  earlyMs: number;
  /** …and this long after it (network delay, late delivery). */
  lateMs: number;
  /** Give up on a read after this long. */
  timeoutMs: number;
}

type Range = Map<number, { start: bigint; end: bigint }>;

export class RawWindowRepository {
  constructor(
    private readonly kafka: Kafka,
    private readonly serde: AvroSerde,
    private readonly topics: RawWindowTopics,
    private readonly options: RawWindowOptions,
  ) {}

  async read(deviceId: string, range: { fromMs: number; toMs: number }): Promise<RawWindowEvents> {
    const inRange = (t: number) => t >= range.fromMs && t < range.toMs;
    // Audio chunks are stamped with their first sample: one starting a chunk-length before the range still overlaps it.
    const [sensor, audio, image] = await Promise.all([
      this.readTopic(this.topics.sensor, deviceId, range, (r) => inRange(r.eventTimeMs)),
      this.readTopic(
        this.topics.audio,
        deviceId,
        { ...range, fromMs: range.fromMs - 10_000 },
        (c) => c.eventTimeMs < range.toMs && c.eventTimeMs >= range.fromMs - 10_000,
      ),
      this.readTopic(this.topics.image, deviceId, range, (f) => inRange(f.eventTimeMs)),
    ]);
    return {
      sensor: sensor.kept.sort((a, b) => a.eventTimeMs - b.eventTimeMs),
      audio: audio.kept.sort((a, b) => a.eventTimeMs - b.eventTimeMs),
      image: image.kept.sort((a, b) => a.eventTimeMs - b.eventTimeMs),
      sources: [sensor, audio, image].map((s) => ({ topic: s.topic, read: s.read, kept: s.kept.length })),
    };
  }

  private async readTopic<T extends { deviceId: string; eventTimeMs: number }>(
    spec: TopicSpec<T>,
    deviceId: string,
    range: { fromMs: number; toMs: number },
    keep: (value: T) => boolean,
  ): Promise<{ topic: string; read: number; kept: T[] }> {
    const offsets = await this.offsets(spec.name, range.fromMs - this.options.earlyMs, range.toMs + this.options.lateMs);
    const kept: T[] = [];
    let read = 0;
    if (offsets.size === 0) return { topic: spec.name, read, kept };
    const consumer = this.kafka.consumer({ groupId: `api-window-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [spec.name] });
      const remaining = new Map(offsets);
      let done!: () => void;
      const finished = new Promise<void>((resolve) => (done = resolve));
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const bounds = remaining.get(batch.partition);
          if (!bounds) return;
          for (const message of batch.messages) {
            const offset = BigInt(message.offset);
            if (offset < bounds.start) continue;
            if (offset >= bounds.end) break;
            read++;
            if (message.key?.toString() !== deviceId) continue;
            const value = await this.serde.decode(spec, message.value);
            if (value.deviceId === deviceId && keep(value)) kept.push(value);
          }
          const last = batch.messages.at(-1);
          if (last && BigInt(last.offset) + 1n >= bounds.end) {
            remaining.delete(batch.partition);
            if (remaining.size === 0) done();
          }
        },
      });
      // A fresh group starts at the partitions' ends: nothing is read before these seeks (run() must come first).
      for (const [partition, { start }] of offsets) consumer.seek({ topic: spec.name, partition, offset: start.toString() });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reading ${spec.name} back took over ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
      });
      await Promise.race([finished, timeout]).finally(() => clearTimeout(timer));
    } finally {
      await consumer.disconnect();
    }
    return { topic: spec.name, read, kept };
  }

  /** Per partition, the offsets of the first messages stamped at or after `fromTs` and `toTs` (the end where none is). */
  private async offsets(topic: string, fromTs: number, toTs: number): Promise<Range> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [high, from, to] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchTopicOffsetsByTimestamp(topic, fromTs),
        admin.fetchTopicOffsetsByTimestamp(topic, toTs),
      ]);
      const end = new Map(high.map((p) => [p.partition, BigInt(p.high)]));
      const orEnd = (partition: number, offset: string) => (BigInt(offset) < 0n ? end.get(partition)! : BigInt(offset));
      const toOf = new Map(to.map((p) => [p.partition, orEnd(p.partition, p.offset)]));
      const out: Range = new Map();
      for (const p of from) {
        const start = orEnd(p.partition, p.offset);
        const stop = toOf.get(p.partition) ?? end.get(p.partition)!;
        if (stop > start) out.set(p.partition, { start, end: stop });
      }
      return out;
    } finally {
      await admin.disconnect();
    }
  }
}

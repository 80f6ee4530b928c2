/**
 * Reads a whole (typically compacted) topic from the beginning up to its current end, e.g. to restore
 * per-device state before consuming. Uses a throw-away group and commits nothing.
 */
import { randomUUID } from 'node:crypto';
import type { TopicSpec } from '@vigil/contracts';
import type { Kafka } from 'kafkajs';
import type { AvroSerde } from './avro-serde';
import { retryRetriable } from './retriable';

export async function readTopicToEnd<T>(
  kafka: Kafka,
  spec: TopicSpec<T>,
  serde: AvroSerde,
  timeoutMs = 30_000,
): Promise<Array<{ key: string | null; value: T; partition: number; offset: string }>> {
  const admin = kafka.admin();
  await admin.connect();
  // Retried: a topic created moments ago may have no partition leader yet.
  const ends = await retryRetriable(() => admin.fetchTopicOffsets(spec.name)).finally(() => admin.disconnect());
  const remaining = new Map(ends.filter((p) => BigInt(p.high) > BigInt(p.low)).map((p) => [p.partition, BigInt(p.high)]));
  const out: Array<{ key: string | null; value: T; partition: number; offset: string }> = [];
  if (remaining.size === 0) return out;

  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [spec.name], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${spec.name} to its end took over ${timeoutMs} ms`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            // A tombstone (null value) deletes the key on a compacted topic.
            out.push({
              key: message.key?.toString() ?? null,
              value: message.value === null ? (null as T) : await serde.decode(spec, message.value),
              partition,
              offset: message.offset,
            });
            const end = remaining.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end) remaining.delete(partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

/**
 * A kafkajs batch consumer that decodes Confluent Avro per topic, dead-letters what cannot be decoded or
 * validated (never blocking the partition), hands the good records to a handler per partition batch, and
 * commits offsets only after the handler has made its effects durable.
 *
 * The handler may hold records back (e.g. events inside a still-open window) by returning the first offset
 * it still needs: commits then stop there, so a crash replays those events instead of losing them. A batch does
 * not wait for its commit round trip (`OffsetCommitter`: one request at a time with every partition's latest
 * position), so the next fetch is not held up by it; a failed commit fails the next batch.
 *
 * @example
 *   await runDecodingConsumer({ kafka, groupId: 'detector', serde, deadLetters,
 *     subscriptions: [{ spec: TOPICS.sensorReadings, handle: async (batch) => { ... } }] });
 */
import type { TopicSpec } from '@vigil/contracts';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, TopicPartitionOffset } from 'kafkajs';
import type { AvroSerde } from './avro-serde';
import type { DeadLetterPublisher, RawMessageRef } from './dead-letters';
import { OffsetCommitter } from './offset-committer';

export interface DecodedRecord<T> {
  value: T;
  key: string | null;
  topic: string;
  partition: number;
  offset: string;
  /** Kafka message timestamp (the producer's send time). */
  timestampMs: number;
  /** The message as received, for forwarding (late events) without re-encoding. */
  raw: { key: Buffer | null; value: Buffer | null };
}

export interface BatchResult {
  /** First offset the handler still needs; commits stop before it. Omit to commit the whole batch. */
  retainFrom?: string;
}

export interface Subscription<T> {
  spec: TopicSpec<T>;
  handle(records: DecodedRecord<T>[], ctx: { topic: string; partition: number; heartbeat(): Promise<void> }): Promise<BatchResult | void>;
}

/** A typed subscription; erased to `unknown` so one consumer can serve topics of different types. */
export function subscription<T>(spec: TopicSpec<T>, handle: Subscription<T>['handle']): Subscription<unknown> {
  return { spec, handle } as unknown as Subscription<unknown>;
}

export interface DecodingConsumerOptions {
  kafka: Kafka;
  groupId: string;
  serde: AvroSerde;
  deadLetters: DeadLetterPublisher;
  /** Build each with `subscription(spec, handle)` so the handler is typed by its topic. */
  subscriptions: ReadonlyArray<Subscription<unknown>>;
  partitionsConsumedConcurrently?: number;
  fromBeginning?: boolean;
  consumerConfig?: Partial<ConsumerConfig>;
  /** Called after each (re)join of the group: partitions may have moved, fetching restarts at committed offsets. */
  onGroupJoin?: () => void;
  /** Instrumentation: called once per batch with counts. */
  onBatch?: (info: { topic: string; partition: number; decoded: number; deadLettered: number; lag: number }) => void;
}

/** What a graceful stop asks of the handler before the last commit. */
export interface DrainHooks {
  /** Make the effects of every finished batch durable now (e.g. flush buffered writes). */
  drain(): Promise<void>;
  /** The first offset the handler still needs on this partition, as in BatchResult; undefined: none. */
  retainFrom(topic: string, partition: number): string | undefined;
}

export interface DecodingConsumer {
  readonly consumer: Consumer;
  /**
   * Graceful stop: fetching pauses and no new batch starts, the batches in flight finish, `hooks.drain()`
   * makes their effects durable, and each partition consumed since the last (re)join is committed up to
   * `hooks.retainFrom` (or past its last message) while this member still owns it; only then does it leave the
   * group. Without hooks nothing more is committed: the per-batch commits stand, and effects that became
   * durable after their batch returned are replayed by the next owner.
   */
  stop(hooks?: DrainHooks): Promise<void>;
}

export async function runDecodingConsumer(opts: DecodingConsumerOptions): Promise<DecodingConsumer> {
  const consumer = opts.kafka.consumer({ groupId: opts.groupId, ...opts.consumerConfig });
  const byTopic = new Map(opts.subscriptions.map((s) => [s.spec.name, s]));
  /** Per topic-partition consumed since the last (re)join: the offset after its last message. */
  const nextOffsets = new Map<string, TopicPartitionOffset>();
  // Batches do not wait for their commit (see OffsetCommitter); a failed one fails the next batch.
  const committer = new OffsetCommitter((positions) => consumer.commitOffsets(positions));
  consumer.on(consumer.events.GROUP_JOIN, () => {
    nextOffsets.clear(); // partitions may have moved
    committer.clear();
    opts.onGroupJoin?.();
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...byTopic.keys()], fromBeginning: opts.fromBeginning ?? false });
  let draining = false;
  const inFlight = new Set<Promise<void>>();
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 3,
    eachBatch: async (payload) => {
      // While draining, a batch fetched before the pause is left unresolved: the next owner reads it again.
      if (draining) return;
      const work = processBatch(committer, payload, byTopic, opts, nextOffsets);
      inFlight.add(work);
      try {
        await work;
      } finally {
        inFlight.delete(work);
      }
    },
  });
  return {
    consumer,
    async stop(hooks) {
      draining = true;
      consumer.pause([...byTopic.keys()].map((topic) => ({ topic })));
      await Promise.allSettled([...inFlight]);
      try {
        await committer.settle(); // no earlier position may land after the last one
        if (hooks && nextOffsets.size > 0) {
          await hooks.drain();
          const positions = [...nextOffsets.values()].map((p) => ({ ...p, offset: hooks.retainFrom(p.topic, p.partition) ?? p.offset }));
          await consumer.commitOffsets(positions);
        }
      } finally {
        await consumer.disconnect();
      }
    },
  };
}

async function processBatch(
  committer: OffsetCommitter,
  { batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload,
  byTopic: Map<string, Subscription<unknown>>,
  opts: DecodingConsumerOptions,
  nextOffsets: Map<string, TopicPartitionOffset>,
): Promise<void> {
  if (!isRunning() || isStale() || batch.messages.length === 0) return;
  const failed = committer.takeFailure();
  if (failed) throw failed.error; // kafkajs handles it as the commit's own batch would have
  const sub = byTopic.get(batch.topic);
  if (!sub) throw new Error(`no subscription for topic ${batch.topic}`);

  const good: DecodedRecord<unknown>[] = [];
  const failures: Array<{ msg: RawMessageRef; error: unknown }> = [];
  // A registry outage is not the message's fault: decodeBatch throws, failing the batch so kafkajs retries it.
  const decoded = await opts.serde.decodeBatch(
    sub.spec,
    batch.messages.map((m) => m.value),
  );
  decoded.forEach((outcome, i) => {
    const m = batch.messages[i]!;
    if (outcome.ok) {
      good.push({
        value: outcome.value,
        key: m.key?.toString() ?? null,
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        timestampMs: Number(m.timestamp),
        raw: { key: m.key, value: m.value },
      });
    } else {
      failures.push({
        msg: { topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers },
        error: outcome.error,
      });
    }
  });

  if (failures.length > 0) await opts.deadLetters.publish(failures);
  const result = good.length > 0 ? await sub.handle(good, { topic: batch.topic, partition: batch.partition, heartbeat }) : undefined;
  opts.onBatch?.({ topic: batch.topic, partition: batch.partition, decoded: good.length, deadLettered: failures.length, lag: Number(batch.offsetLag()) });

  const last = batch.messages[batch.messages.length - 1]!.offset;
  // Resolving moves the fetch position past the batch (the handler now holds what it retains in memory);
  // the commit is what survives a crash, and it stops at the first retained offset.
  resolveOffset(last);
  const next = (BigInt(last) + 1n).toString();
  nextOffsets.set(`${batch.topic}#${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: next });
  const commitTo = result?.retainFrom ?? next;
  committer.request({ topic: batch.topic, partition: batch.partition, offset: commitTo });
  await heartbeat();
}

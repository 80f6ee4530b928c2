/**
 * A NestJS custom transport for the hot path. The stock Kafka server handles one message at a time with no
 * eachBatch (nestjs/nest #12703, #9455); this one runs a kafkajs eachBatch consumer (per-partition
 * concurrency, Avro decoding, dead letters, manual commits) and hands each partition batch to the
 * controller method registered for its route with @EventPattern, so handlers stay NestJS-style:
 *
 *   @EventPattern(ROUTES.sensor) ingest(@Payload() batch: DecodedRecord<SensorReading>[], @Ctx() ctx: BatchContext)
 *
 * A handler returns a BatchResult: offsets are committed only up to what it says is durable.
 */
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { AnyTopicSpec } from '@vigil/contracts';
import type { AvroSerde } from '../avro-serde';
import type { DeadLetterPublisher } from '../dead-letters';
import { type BatchResult, type DecodingConsumer, type DrainHooks, runDecodingConsumer, subscription } from '../decoding-consumer';
import type { Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';

export interface BatchRoute {
  /** The @EventPattern name the controller listens on. */
  pattern: string;
  spec: AnyTopicSpec;
}

export interface BatchContext {
  topic: string;
  partition: number;
  heartbeat(): Promise<void>;
}

export interface BatchKafkaServerOptions {
  kafka: Kafka;
  groupId: string;
  serde: AvroSerde;
  deadLetters: DeadLetterPublisher;
  routes: BatchRoute[];
  partitionsConsumedConcurrently: number;
  fromBeginning: boolean;
  onBatch?: (info: { topic: string; partition: number; decoded: number; deadLettered: number; lag: number }) => void;
  /** Called after every (re)join of the group, before fetching resumes from the committed offsets. */
  onGroupJoin?: () => void;
  /** Used on close once the in-flight batches have finished: see DecodingConsumer.stop. */
  drain?: DrainHooks;
}

export class BatchKafkaServer extends Server implements CustomTransportStrategy {
  private consumer: DecodingConsumer | undefined;

  constructor(private readonly opts: BatchKafkaServerOptions) {
    super();
  }

  async listen(callback: (err?: unknown) => void): Promise<void> {
    try {
      const subscriptions = this.opts.routes.map((route) =>
        subscription(route.spec, async (records, ctx) => {
          const handler = this.getHandlerByPattern(route.pattern);
          if (!handler) throw new Error(`no @EventPattern('${route.pattern}') handler for topic ${route.spec.name}`);
          const context: BatchContext = { topic: ctx.topic, partition: ctx.partition, heartbeat: ctx.heartbeat };
          const result$ = this.transformToObservable(await handler(records, context));
          return (await lastValueFrom(result$, { defaultValue: undefined })) as BatchResult | undefined;
        }),
      );
      this.consumer = await runDecodingConsumer({
        onGroupJoin: this.opts.onGroupJoin,
        kafka: this.opts.kafka,
        groupId: this.opts.groupId,
        serde: this.opts.serde,
        deadLetters: this.opts.deadLetters,
        subscriptions,
        partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently,
        fromBeginning: this.opts.fromBeginning,
        onBatch: this.opts.onBatch,
      });
      callback();
    } catch (err) {
      callback(err);
    }
  }

  /** Graceful: stops fetching, lets the in-flight batches finish, drains, commits, disconnects. */
  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.stop(this.opts.drain);
  }

  on(): never {
    throw new Error('BatchKafkaServer does not emit events');
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('BatchKafkaServer is not listening');
    return this.consumer.consumer as T;
  }
}

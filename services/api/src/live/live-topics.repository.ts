/**
 * The only file that consumes the live topics (results, drift events, feedback) for the gateway. Each replica
 * joins a consumer group of its own (`<prefix>-<uuid>`), so every replica sees every record; the group starts
 * at the end of the topics (live only; the snapshot comes from ClickHouse) and is deleted on shutdown.
 */
import { randomUUID } from 'node:crypto';
import type { AnomalyResult, DeadLetter, DriftEvent, OperatorFeedback, TopicSpec } from '@vigil/contracts';
import { type AvroPublisher, DeadLetterPublisher, type DecodingConsumer, runDecodingConsumer, subscription } from '@vigil/kafka';
import type { Kafka } from 'kafkajs';

export interface LiveTopics {
  results: TopicSpec<AnomalyResult>;
  drift: TopicSpec<DriftEvent>;
  feedback: TopicSpec<OperatorFeedback>;
  deadLetters: TopicSpec<DeadLetter>;
}

export interface LiveHandlers {
  results(records: AnomalyResult[]): void;
  drift(records: DriftEvent[]): void;
  feedback(records: OperatorFeedback[]): void;
  joined(): void;
}

export class LiveTopicsRepository {
  readonly groupId: string;
  private consumer?: DecodingConsumer;

  constructor(
    private readonly kafka: Kafka,
    private readonly publisher: AvroPublisher,
    private readonly topics: LiveTopics,
    groupPrefix: string,
    private readonly fromBeginning: boolean,
  ) {
    this.groupId = `${groupPrefix}-${randomUUID()}`;
  }

  async start(handlers: LiveHandlers): Promise<void> {
    this.consumer = await runDecodingConsumer({
      kafka: this.kafka,
      groupId: this.groupId,
      serde: this.publisher.serde,
      deadLetters: new DeadLetterPublisher(this.publisher, this.groupId, this.topics.deadLetters),
      fromBeginning: this.fromBeginning,
      partitionsConsumedConcurrently: 6,
      // Small, frequent fetches: the gateway wants each result as soon as it is appended.
      consumerConfig: { maxWaitTimeInMs: 20, sessionTimeout: 10_000, heartbeatInterval: 1000 },
      onGroupJoin: () => handlers.joined(),
      subscriptions: [
        subscription(this.topics.results, async (batch) => handlers.results(batch.map((r) => r.value))),
        subscription(this.topics.drift, async (batch) => handlers.drift(batch.map((r) => r.value))),
        subscription(this.topics.feedback, async (batch) => handlers.feedback(batch.map((r) => r.value))),
      ],
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([this.groupId]).catch(() => undefined); // best effort: an empty group also expires on its own
    await admin.disconnect();
  }
}

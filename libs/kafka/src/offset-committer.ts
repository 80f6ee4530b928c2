/**
 * Commits consumed positions without holding up the batch that asked for them. kafkajs fetches a broker's
 * partitions again only once every batch of the last fetch has been handled, so a commit round trip awaited per
 * batch (18 partitions, 6 at a time: three in a row per fetch) delayed every next event by as much. Here a batch
 * only records its partition's position; one commit request at a time carries the latest position of every
 * partition that moved (later positions replace earlier ones, so commits never go backwards), and the next one
 * starts when it returns.
 *
 * Durability is unchanged: a position is requested only once what precedes it is durable (the handler's
 * `retainFrom`), and a crash before its commit replays from the previous one, as a crash just before an awaited
 * commit did. A failed commit is kept for the consumer to raise in its next batch (`takeFailure`), so kafkajs
 * handles it as it handled a failed commit in the batch; the positions stay queued for the next request.
 *
 * @example
 *   const committer = new OffsetCommitter((positions) => consumer.commitOffsets(positions));
 *   committer.request({ topic, partition, offset: retainFrom });   // returns at once
 *   await committer.settle();                                      // before a final commit on shutdown
 */
import type { TopicPartitionOffset } from 'kafkajs';

export class OffsetCommitter {
  private pending = new Map<string, TopicPartitionOffset>();
  private flushing: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;
  /** Bumped by `clear()`: a request begun before it (an old group generation) reports no failure. */
  private epoch = 0;

  constructor(private readonly commit: (positions: TopicPartitionOffset[]) => Promise<void>) {}

  /** Queues the partition's position (replacing one queued before) and starts a commit unless one is running. */
  request(position: TopicPartitionOffset): void {
    this.pending.set(`${position.topic}#${position.partition}`, position);
    this.flushing ??= this.run();
  }

  /** The first commit failure since the last call, if any (cleared by reading it). */
  takeFailure(): { error: unknown } | undefined {
    const failure = this.failure;
    this.failure = undefined;
    return failure;
  }

  /** Resolves once no commit is running; positions requested meanwhile are committed first. */
  async settle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Forgets queued positions and any failure (the group was rejoined: they belong to the old generation). */
  clear(): void {
    this.pending.clear();
    this.failure = undefined;
    this.epoch++;
  }

  private async run(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const epoch = this.epoch;
        const batch = this.pending;
        this.pending = new Map();
        try {
          await this.commit([...batch.values()]);
        } catch (error) {
          if (epoch !== this.epoch) continue; // cleared meanwhile: nothing of it is wanted any more
          // Keep what no later request replaced, for the next commit; stop until then (no retry loop here:
          // kafkajs already retried, and the next batch raises the failure).
          for (const [key, position] of batch) if (!this.pending.has(key)) this.pending.set(key, position);
          this.failure ??= { error };
          return;
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }
}

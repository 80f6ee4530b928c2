/**
 * Retries a Kafka call that fails with an error the broker marks retriable. Right after a topic is created its
 * partitions may not have a leader yet, and kafkajs's admin calls then throw `NOT_LEADER_OR_FOLLOWER` or
 * `UNKNOWN_TOPIC_OR_PARTITION` (both `retriable: true`) instead of retrying themselves; a service that reads
 * its state topic at start-up would otherwise exit on a cluster that is merely still settling.
 *
 * @example
 *   const ends = await retryRetriable(() => admin.fetchTopicOffsets(topic));
 */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Wait before the second attempt; doubled after each failure. */
  initialDelayMs?: number;
}

export async function retryRetriable<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  let delay = options.initialDelayMs ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= attempts || !isRetriable(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}

function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

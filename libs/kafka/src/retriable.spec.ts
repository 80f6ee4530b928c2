import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { retryRetriable } from './retriable';

/**
 * kafkajs's own error for a partition without a leader yet (error code 6), which it marks retriable; kafkajs
 * builds it from the broker's error entry (its typings declare only the Error part).
 */
const notLeader = () =>
  new KafkaJSProtocolError(
    Object.assign(new Error('This server is not the leader for that topic-partition'), { type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true }),
  );

describe('retryRetriable', () => {
  it('retries a call that fails with a retriable error until it succeeds', async () => {
    let calls = 0;
    const value = await retryRetriable(
      async () => {
        if (++calls < 3) throw notLeader();
        return 'offsets';
      },
      { initialDelayMs: 1 },
    );
    expect(value).toBe('offsets');
    expect(calls).toBe(3);
  });

  it('throws a non-retriable error at once', async () => {
    let calls = 0;
    const failing = retryRetriable(
      async () => {
        calls++;
        throw new KafkaJSNonRetriableError('topic authorization failed');
      },
      { initialDelayMs: 1 },
    );
    await expect(failing).rejects.toThrow('topic authorization failed');
    expect(calls).toBe(1);
  });

  it('gives up after the attempts allowed, with the last error', async () => {
    let calls = 0;
    const failing = retryRetriable(
      async () => {
        calls++;
        throw notLeader();
      },
      { attempts: 4, initialDelayMs: 1 },
    );
    await expect(failing).rejects.toThrow('not the leader');
    expect(calls).toBe(4);
  });
});

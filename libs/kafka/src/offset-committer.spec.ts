import type { TopicPartitionOffset } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { OffsetCommitter } from './offset-committer';

/** A commit function whose calls the test answers one by one. */
function broker() {
  const calls: { positions: TopicPartitionOffset[]; answer: (err?: Error) => void }[] = [];
  const commit = (positions: TopicPartitionOffset[]) =>
    new Promise<void>((resolve, reject) => calls.push({ positions, answer: (err) => (err ? reject(err) : resolve()) }));
  return { calls, commit };
}
const at = (partition: number, offset: string) => ({ topic: 't', partition, offset });
const tick = () => new Promise((r) => setImmediate(r));

describe('OffsetCommitter', () => {
  it('runs one commit at a time, then one with the latest position of every partition requested meanwhile', async () => {
    const { calls, commit } = broker();
    const committer = new OffsetCommitter(commit);
    committer.request(at(0, '10'));
    committer.request(at(1, '5')); // queued behind the running commit
    committer.request(at(1, '7'));
    committer.request(at(2, '3'));
    expect(calls.map((c) => c.positions)).toEqual([[at(0, '10')]]);
    calls[0]!.answer();
    await tick();
    expect(calls[1]!.positions).toEqual([at(1, '7'), at(2, '3')]);
    const settled = committer.settle();
    calls[1]!.answer();
    await settled;
    expect(calls).toHaveLength(2);
    expect(committer.takeFailure()).toBeUndefined();
  });

  it('keeps a failure for the next batch to raise, and the failed positions for the next commit unless replaced', async () => {
    const { calls, commit } = broker();
    const committer = new OffsetCommitter(commit);
    committer.request(at(0, '10'));
    committer.request(at(1, '4'));
    calls[0]!.answer();
    await tick();
    committer.request(at(0, '12')); // arrives while the second commit fails
    calls[1]!.answer(new Error('coordinator moved'));
    await committer.settle();
    expect((committer.takeFailure()?.error as Error).message).toBe('coordinator moved');
    expect(committer.takeFailure()).toBeUndefined(); // raised once
    committer.request(at(2, '1'));
    expect(calls[2]!.positions).toEqual(expect.arrayContaining([at(0, '12'), at(1, '4'), at(2, '1')]));
    expect(calls[2]!.positions).toHaveLength(3);
  });

  it('after a rejoin forgets queued positions, and a commit of the old generation that fails reports nothing', async () => {
    const { calls, commit } = broker();
    const committer = new OffsetCommitter(commit);
    committer.request(at(0, '10'));
    committer.request(at(1, '4'));
    committer.clear();
    calls[0]!.answer(new Error('illegal generation'));
    await committer.settle();
    expect(calls).toHaveLength(1); // partition 1's queued position went with the old generation
    expect(committer.takeFailure()).toBeUndefined();
  });
});

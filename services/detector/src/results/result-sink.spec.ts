import { type DetectorCheckpoint, SAMPLE_RECORDS } from '@vigil/contracts';
import type { AvroPublisher } from '@vigil/kafka';
import { describe, expect, it } from 'vitest';
import { parseDetectorConfig } from '../config/detector.config';
import { detectorTopics } from '../config/detector-topics';
import { ResultSink, type WindowOutput } from './result-sink';
import type { ResultsRepository } from './results.repository';

/** In-memory stand-ins recording what reached each destination; `failNextInsert` fails one ClickHouse insert. */
function harness() {
  const inserted: number[] = [];
  const checkpointed: number[] = [];
  let failNextInsert = false;
  const repository = {
    insert: async (results: Array<{ windowStartMs: number }>) => {
      if (failNextInsert) {
        failNextInsert = false;
        throw new Error('ClickHouse unavailable');
      }
      inserted.push(...results.map((r) => r.windowStartMs));
    },
  } as unknown as ResultsRepository;
  const publisher = (onCheckpoints?: (c: DetectorCheckpoint[]) => void) =>
    ({
      publishMany: async () => undefined,
      publish: async (_spec: unknown, records: Array<{ value: DetectorCheckpoint }>) => onCheckpoints?.(records.map((r) => r.value)),
    }) as unknown as AvroPublisher;
  const sink = new ResultSink(
    repository,
    { results: publisher(), state: publisher((c) => checkpointed.push(...c.map((x) => x.lastWindowStartMs))) },
    detectorTopics(parseDetectorConfig({})),
    { intervalMs: 1, maxItems: 1000, kafkaIntervalMs: 1 },
  );
  const output = (startMs: number): WindowOutput => ({
    result: { ...SAMPLE_RECORDS.anomalyResults, windowStartMs: startMs },
    latents: [],
    checkpoint: { deviceId: 'dev-1', modelVersion: 'm@1', lastWindowStartMs: startMs, thresholdStates: {}, updatedAtMs: 0 },
  });
  return { sink, output, inserted, checkpointed, failInsert: () => (failNextInsert = true) };
}

describe('ResultSink', () => {
  it('checkpoints a device only after its results are written', async () => {
    const { sink, output, inserted, checkpointed } = harness();
    await sink.write([output(1000), output(2000)]).durable;
    expect(inserted).toEqual([1000, 2000]);
    expect(checkpointed).toEqual([2000]); // a compacted topic only needs the newest per device
  });

  it('after a failed write, checkpoints nothing until reset, so the replay cannot resume past the failed windows', async () => {
    const { sink, output, inserted, checkpointed, failInsert } = harness();
    failInsert();
    const failed = sink.write([output(1000)]).durable;
    await expect(failed).rejects.toThrow('ClickHouse unavailable');
    const later = sink.write([output(2000)]).durable; // written fine, but a checkpoint at 2000 would skip 1000
    await expect(later).rejects.toMatchObject({ name: 'TransientError' });
    expect(inserted).toEqual([2000]);
    expect(checkpointed).toEqual([]);

    sink.reset(); // the consumer rejoined: the replay re-emits 1000
    await sink.write([output(1000), output(2000)]).durable;
    expect(checkpointed).toEqual([2000]); // the newest per device per flush
  });
});

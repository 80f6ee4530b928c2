/**
 * Makes results durable in ClickHouse (batched: about one insert per interval) and on the results topic
 * (within tens of milliseconds), then publishes the devices' checkpoints. Callers keep their offsets
 * uncommitted until `write` resolves.
 */
import { type AnomalyResult, type DetectorCheckpoint, type LatentVector, TransientError } from '@vigil/contracts';
import type { AvroPublisher } from '@vigil/kafka';
import type { DetectorTopics } from '../config/detector-topics';
import { FlushBuffer, type FlushBufferOptions } from './flush-buffer';
import type { ResultsRepository } from './results.repository';

export interface WindowOutput {
  result: AnomalyResult;
  latents: LatentVector[];
  checkpoint: DetectorCheckpoint;
}

export class ResultSink {
  /** ClickHouse wants few, large inserts (about one per interval); consumers of the results topic want them now. */
  private readonly clickhouse: FlushBuffer<WindowOutput>;
  private readonly kafka: FlushBuffer<WindowOutput>;
  private readonly checkpoints: FlushBuffer<DetectorCheckpoint>;
  /** The first failed write since the last reset(). */
  private failure: unknown;

  constructor(
    private readonly repository: ResultsRepository,
    /** Results and latents go through `results`; checkpoints through `state`, so neither queues behind the other. */
    private readonly publishers: { results: AvroPublisher; state: AvroPublisher },
    private readonly topics: DetectorTopics,
    opts: FlushBufferOptions & { kafkaIntervalMs?: number },
    private readonly onDurable: (checkpoints: DetectorCheckpoint[], seconds: number) => void = () => {},
  ) {
    this.clickhouse = new FlushBuffer(
      (outputs) =>
        this.repository.insert(
          outputs.map((o) => o.result),
          outputs.flatMap((o) => o.latents),
        ),
      opts,
    );
    // Short: flushes never overlap, so while one send is in flight the next batch gathers by itself.
    const kafkaOpts = { intervalMs: opts.kafkaIntervalMs ?? 5, maxItems: opts.maxItems };
    this.kafka = new FlushBuffer(
      (outputs) =>
        this.publishers.results.publishMany([
          { spec: this.topics.results, records: outputs.map((o) => ({ key: o.result.deviceId, value: o.result })) },
          { spec: this.topics.latents, records: outputs.flatMap((o) => o.latents.map((l) => ({ key: l.deviceId, value: l }))) },
        ]),
      kafkaOpts,
    );
    this.checkpoints = new FlushBuffer((all) => this.publishCheckpoints(all), kafkaOpts);
  }

  /**
   * `published` resolves when the outputs are on the results topic; `durable` when they are in ClickHouse too
   * and the devices' checkpoints have followed them. A checkpoint never goes out before its results: a restart
   * would otherwise skip windows the results topic never received.
   */
  write(outputs: WindowOutput[]): { published: Promise<void>; durable: Promise<void> } {
    const published = this.kafka.add(outputs);
    const durable = Promise.all([this.clickhouse.add(outputs), published]).then(
      () => {
        // After a failed write, a later window's checkpoint would let the replay resume past the failed windows
        // and lose them: nothing is checkpointed until the consumer has rejoined and replayed (reset()).
        if (this.failure !== undefined) throw new TransientError('an earlier write of results failed; no checkpoint until the replay', this.failure);
        return this.checkpoints.add(outputs.map((o) => o.checkpoint));
      },
      (err: unknown) => {
        this.failure ??= err;
        throw err;
      },
    );
    return { published, durable };
  }

  /** After the group has rejoined (the replay re-emits what failed): checkpoints may follow results again. */
  reset(): void {
    this.failure = undefined;
  }

  async flush(): Promise<void> {
    await Promise.all([this.clickhouse.flush(), this.kafka.flush()]);
    await this.checkpoints.flush();
  }

  get pending(): number {
    return this.clickhouse.pending;
  }

  private async publishCheckpoints(all: DetectorCheckpoint[]): Promise<void> {
    const t0 = performance.now();
    const newest = new Map(all.map((c) => [c.deviceId, c])); // only the newest per device matters on a compacted topic
    await this.publishers.state.publish(
      this.topics.checkpoints,
      [...newest.values()].map((c) => ({ key: c.deviceId, value: c })),
    );
    this.onDurable([...newest.values()], (performance.now() - t0) / 1000);
  }
}

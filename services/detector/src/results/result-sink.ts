/**
 * Makes a micro-batch of results durable: ClickHouse first (the system of record), then results and latents
 * on Kafka, then — only once those are acknowledged — the devices' checkpoints. Callers await `write`; only then may their
 * offsets be committed. Writes from all partitions are grouped into about one insert per interval.
 */
import type { AnomalyResult, DetectorCheckpoint, LatentVector } from '@vigil/contracts';
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
  private readonly buffer: FlushBuffer<WindowOutput>;

  constructor(
    private readonly repository: ResultsRepository,
    private readonly publisher: AvroPublisher,
    private readonly topics: DetectorTopics,
    opts: FlushBufferOptions,
    private readonly onDurable: (checkpoints: DetectorCheckpoint[], seconds: number) => void = () => {},
  ) {
    this.buffer = new FlushBuffer((outputs) => this.persist(outputs), opts);
  }

  write(outputs: WindowOutput[]): Promise<void> {
    return this.buffer.add(outputs);
  }

  flush(): Promise<void> {
    return this.buffer.flush();
  }

  get pending(): number {
    return this.buffer.pending;
  }

  private async persist(outputs: WindowOutput[]): Promise<void> {
    const t0 = performance.now();
    const results = outputs.map((o) => o.result);
    const latents = outputs.flatMap((o) => o.latents);
    await this.repository.insert(results, latents);
    await this.publisher.publishMany([
      { spec: this.topics.results, records: results.map((r) => ({ key: r.deviceId, value: r })) },
      { spec: this.topics.latents, records: latents.map((l) => ({ key: l.deviceId, value: l })) },
    ]);
    // Checkpoints go in a request of their own, after the results are acknowledged: one produce request can
    // succeed for some partitions and fail for others, and a checkpoint that got ahead of its results would
    // make a restart skip windows the results topic never received.
    const checkpoints = new Map(outputs.map((o) => [o.checkpoint.deviceId, o.checkpoint])); // newest per device
    await this.publisher.publish(this.topics.checkpoints, [...checkpoints.values()].map((c) => ({ key: c.deviceId, value: c })));
    this.onDurable([...checkpoints.values()], (performance.now() - t0) / 1000);
  }
}

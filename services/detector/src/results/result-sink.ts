/**
 * Makes a micro-batch of results durable: ClickHouse first (the system of record), then one Kafka request
 * carrying results, latents and the devices' checkpoints. Callers await `write`; only then may their
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

  private async persist(outputs: WindowOutput[]): Promise<void> {
    const t0 = performance.now();
    const results = outputs.map((o) => o.result);
    const latents = outputs.flatMap((o) => o.latents);
    await this.repository.insert(results, latents);
    // Only the newest checkpoint per device matters on a compacted topic.
    const checkpoints = new Map(outputs.map((o) => [o.checkpoint.deviceId, o.checkpoint]));
    await this.publisher.publishMany([
      { spec: this.topics.results, records: results.map((r) => ({ key: r.deviceId, value: r })) },
      { spec: this.topics.latents, records: latents.map((l) => ({ key: l.deviceId, value: l })) },
      { spec: this.topics.checkpoints, records: [...checkpoints.values()].map((c) => ({ key: c.deviceId, value: c })) },
    ]);
    this.onDurable([...checkpoints.values()], (performance.now() - t0) / 1000);
  }
}

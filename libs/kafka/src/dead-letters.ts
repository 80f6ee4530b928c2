/**
 * Dead letters: a message we cannot process is wrapped with its origin (topic, partition, offset, group),
 * its untouched bytes and the reason, and published to the dead-letter topic, so nothing is lost and the
 * partition moves on. Re-processing is a matter of reading the envelope's original bytes.
 */
import { type DeadLetter, TOPICS, VigilError } from '@vigil/contracts';
import type { IHeaders } from 'kafkajs';
import type { AvroPublisher } from './avro-publisher';

export interface RawMessageRef {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

export function toDeadLetter(msg: RawMessageRef, consumerGroup: string, error: unknown, now = Date.now()): DeadLetter {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.headers ?? {})) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return {
    sourceTopic: msg.topic,
    sourcePartition: msg.partition,
    sourceOffset: msg.offset,
    consumerGroup,
    originalKey: msg.key,
    originalValue: msg.value,
    originalHeaders: headers,
    errorClass: error instanceof VigilError ? error.name : error instanceof Error ? error.constructor.name : 'UnknownError',
    errorMessage: error instanceof Error ? error.message : String(error),
    failedAtMs: now,
  };
}

export class DeadLetterPublisher {
  constructor(
    private readonly publisher: AvroPublisher,
    private readonly consumerGroup: string,
    private readonly spec = TOPICS.deadLetters,
  ) {}

  async publish(failures: ReadonlyArray<{ msg: RawMessageRef; error: unknown }>): Promise<void> {
    await this.publisher.publish(
      this.spec,
      failures.map(({ msg, error }) => ({
        key: msg.key?.toString() ?? '',
        value: toDeadLetter(msg, this.consumerGroup, error),
      })),
    );
  }
}

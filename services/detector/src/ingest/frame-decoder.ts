/**
 * Encoded camera frames (PNG, JPEG) decoded at ingest by the image scorer that serves their device
 * (`ModalityScorer.decodeFrame`: to its model's input size and channels), so windows carry frames the scorer
 * reads on the hot path without decoding; sharp decodes on libuv's threads, not the event loop. A frame that does
 * not decode goes to the dead-letter topic with the reason and no further (its offset is then not held, as for
 * a message that failed Avro decoding). Frames no scorer decodes pass through unchanged.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ImageFrame } from '@vigil/contracts';
import type { DeadLetterPublisher, DecodedRecord } from '@vigil/kafka';
import type { DetectorTopics } from '../config/detector-topics';
import { DEAD_LETTERS, DETECTOR_TOPICS } from '../detector.tokens';
import { DetectorMetrics } from '../observability/metrics';
import { ModelHolder } from '../scoring/model-holder';

export class UndecodableFrameError extends Error {
  override readonly name = 'UndecodableFrameError';
}

@Injectable()
export class FrameDecoder {
  constructor(
    @Inject(ModelHolder) private readonly holder: ModelHolder,
    @Inject(DEAD_LETTERS) private readonly deadLetters: DeadLetterPublisher,
    @Inject(DETECTOR_TOPICS) private readonly topics: DetectorTopics,
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
  ) {}

  async decode(records: DecodedRecord<ImageFrame>[]): Promise<DecodedRecord<ImageFrame>[]> {
    const decoders = this.holder.current.registry.all().filter((s) => s.decodeFrame);
    if (decoders.length === 0) return records;
    const failures: { msg: DecodedRecord<ImageFrame>; error: unknown }[] = [];
    const decoded = await Promise.all(
      records.map(async (r) => {
        for (const scorer of decoders) {
          const pending = scorer.decodeFrame!(r.value);
          if (!pending) continue;
          try {
            return { ...r, value: await pending };
          } catch (error) {
            failures.push({
              msg: r,
              error: new UndecodableFrameError(`${r.value.encoding} frame of ${r.value.deviceId} does not decode: ${(error as Error).message}`),
            });
            return undefined;
          }
        }
        return r;
      }),
    );
    if (failures.length > 0) {
      await this.deadLetters.publish(
        failures.map(({ msg, error }) => ({
          msg: { topic: msg.topic, partition: msg.partition, offset: msg.offset, key: msg.raw.key, value: msg.raw.value },
          error,
        })),
      );
      this.metrics.deadLettered.inc({ topic: this.topics.image.name }, failures.length);
    }
    return decoded.filter((r) => r !== undefined);
  }
}

/**
 * Thin: each partition batch of a modality goes to the alignment service; its answer says what may be committed.
 * Encoded camera frames are decoded first (FrameDecoder).
 */
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { AudioChunk, ImageFrame, SensorReading } from '@vigil/contracts';
import type { BatchResult, DecodedRecord } from '@vigil/kafka';
import { ROUTES } from '../detector.tokens';
import type { BatchContext } from '@vigil/kafka/nest';
import { AlignmentService } from '../windowing/alignment.service';
import { FrameDecoder } from './frame-decoder';

@Controller()
export class IngestController {
  constructor(
    @Inject(AlignmentService) private readonly alignment: AlignmentService,
    @Inject(FrameDecoder) private readonly frames: FrameDecoder,
  ) {}

  @EventPattern(ROUTES.sensor)
  sensor(@Payload() batch: DecodedRecord<SensorReading>[], @Ctx() ctx: BatchContext): Promise<BatchResult> {
    return this.alignment.ingest('SENSOR', batch, ctx.topic, ctx.partition);
  }

  @EventPattern(ROUTES.audio)
  audio(@Payload() batch: DecodedRecord<AudioChunk>[], @Ctx() ctx: BatchContext): Promise<BatchResult> {
    return this.alignment.ingest('AUDIO', batch, ctx.topic, ctx.partition);
  }

  @EventPattern(ROUTES.image)
  async image(@Payload() batch: DecodedRecord<ImageFrame>[], @Ctx() ctx: BatchContext): Promise<BatchResult> {
    return this.alignment.ingest('IMAGE', await this.frames.decode(batch), ctx.topic, ctx.partition);
  }
}

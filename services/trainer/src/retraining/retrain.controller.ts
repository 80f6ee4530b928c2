/**
 * Thin: retrain requests from Kafka are queued (training runs in a worker, so the batch returns at once and is
 * committed); HTTP shows progress and cancels a job.
 */
import { Controller, Get, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { RetrainRequest } from '@vigil/contracts';
import type { DecodedRecord } from '@vigil/kafka';
import { ROUTES } from '../trainer.tokens';
import { RetrainService, type RetrainStatus } from './retrain.service';

@Controller('retrain')
export class RetrainController {
  constructor(@Inject(RetrainService) private readonly retraining: RetrainService) {}

  @EventPattern(ROUTES.retrainRequests)
  requests(@Payload() batch: DecodedRecord<RetrainRequest>[]): void {
    for (const record of batch) this.retraining.submit(record.value);
  }

  @Get()
  status(): RetrainStatus {
    return this.retraining.status();
  }

  @Post(':requestId/cancel')
  @HttpCode(202)
  cancel(@Param('requestId') requestId: string): { cancelled: string } {
    if (!this.retraining.cancel(requestId)) throw new NotFoundException(`no queued or running job ${requestId}`);
    return { cancelled: requestId };
  }
}

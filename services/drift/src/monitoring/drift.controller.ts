/** Thin: each partition batch goes to the monitoring service; the whole batch may be committed once it returns. */
import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { AnomalyResult, LatentVector, OperatorFeedback } from '@vigil/contracts';
import type { DecodedRecord } from '@vigil/kafka';
import { ROUTES } from '../drift.tokens';
import { DriftMonitoringService } from './drift-monitoring.service';

@Controller()
export class DriftController {
  constructor(@Inject(DriftMonitoringService) private readonly monitoring: DriftMonitoringService) {}

  @EventPattern(ROUTES.latents)
  async latents(@Payload() batch: DecodedRecord<LatentVector>[]): Promise<void> {
    await this.monitoring.ingestLatents(batch.map((r) => r.value));
  }

  @EventPattern(ROUTES.results)
  results(@Payload() batch: DecodedRecord<AnomalyResult>[]): void {
    this.monitoring.ingestResults(batch.map((r) => r.value));
  }

  @EventPattern(ROUTES.feedback)
  async feedback(@Payload() batch: DecodedRecord<OperatorFeedback>[]): Promise<void> {
    await this.monitoring.ingestFeedback(batch.map((r) => r.value));
  }
}

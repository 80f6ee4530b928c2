import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ZodPipe } from '../http/zod.pipe';
import { type AnomalyPage, type AnomalyQuery, anomalyQuerySchema, type WindowDetail, type WindowParams, windowParamsSchema } from './anomaly.schemas';
import { AnomaliesService } from './anomalies.service';

@Controller('v1/anomalies')
export class AnomaliesController {
  constructor(@Inject(AnomaliesService) private readonly anomalies: AnomaliesService) {}

  @Get()
  list(@Query(new ZodPipe(anomalyQuerySchema)) q: AnomalyQuery): Promise<AnomalyPage> {
    return this.anomalies.page(q);
  }

  @Get(':deviceId/:windowStartMs')
  window(@Param(new ZodPipe(windowParamsSchema)) p: WindowParams): Promise<WindowDetail> {
    return this.anomalies.window(p.deviceId, p.windowStartMs);
  }
}

import { Controller, Get, Inject, Param } from '@nestjs/common';
import { type WindowParams, windowParamsSchema } from '../anomalies/anomaly.schemas';
import { ZodPipe } from '../http/zod.pipe';
import type { WindowData } from './windows.schemas';
import { WindowsService } from './windows.service';

/** A window's raw data (read back from Kafka) with the models' reconstruction, spectrogram and anomaly map. */
@Controller('v1/windows')
export class WindowsController {
  constructor(@Inject(WindowsService) private readonly windows: WindowsService) {}

  @Get(':deviceId/:windowStartMs/data')
  data(@Param(new ZodPipe(windowParamsSchema)) p: WindowParams): Promise<WindowData> {
    return this.windows.data(p.deviceId, p.windowStartMs);
  }
}

import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ZodPipe } from '../http/zod.pipe';
import { deviceParamsSchema, type DeviceState } from './devices.schemas';
import { DevicesService } from './devices.service';

@Controller('v1/devices')
export class DevicesController {
  constructor(@Inject(DevicesService) private readonly devices: DevicesService) {}

  @Get()
  async list(): Promise<{ items: DeviceState[] }> {
    return { items: await this.devices.list() };
  }

  @Get(':deviceId')
  one(@Param(new ZodPipe(deviceParamsSchema)) p: { deviceId: string }): Promise<DeviceState> {
    return this.devices.one(p.deviceId);
  }
}

import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ZodPipe } from '../http/zod.pipe';
import { type ModelInfo, modelParamsSchema } from './models.schemas';
import { ModelsService } from './models.service';

@Controller('v1/models')
export class ModelsController {
  constructor(@Inject(ModelsService) private readonly models: ModelsService) {}

  @Get()
  async list(): Promise<{ items: Array<Omit<ModelInfo, 'card'>> }> {
    return { items: await this.models.list() };
  }

  /** Names may hold one slash (`sensor/pump-synthetic`): pass it URL-encoded (`sensor%2Fpump-synthetic`). */
  @Get(':name')
  one(@Param(new ZodPipe(modelParamsSchema)) p: { name: string }): Promise<ModelInfo> {
    return this.models.one(p.name);
  }
}

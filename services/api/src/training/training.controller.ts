import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ZodPipe } from '../http/zod.pipe';
import { type TrainingDetail, type TrainingParams, trainingParamsSchema, type TrainingRun } from './training.schemas';
import { TrainingService } from './training.service';

@Controller('v1/training')
export class TrainingController {
  constructor(@Inject(TrainingService) private readonly training: TrainingService) {}

  /** Every model version's training run: epochs, best epoch, final metrics, whether ROC/PR curves exist. */
  @Get('runs')
  async list(): Promise<{ items: TrainingRun[] }> {
    return { items: await this.training.list() };
  }

  /** One run's loss curves and evaluation curves; a name with a slash is passed URL-encoded (`sensor%2Fpump-synthetic`). */
  @Get('runs/:name/:version')
  one(@Param(new ZodPipe(trainingParamsSchema)) p: TrainingParams): Promise<TrainingDetail> {
    return this.training.one(p.name, p.version);
  }
}

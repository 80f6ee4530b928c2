import { Controller, Get, Inject, Query } from '@nestjs/common';
import { DRIFT_REPOSITORY } from '../api.tokens';
import { ZodPipe } from '../http/zod.pipe';
import type { DriftRepository } from './drift.repository';
import { type ApiDriftEvent, type DriftQuery, driftQuerySchema } from './drift.schemas';

/** Drift events so far (the drift service's drifted window tests), newest first. */
@Controller('v1/drift')
export class DriftController {
  constructor(@Inject(DRIFT_REPOSITORY) private readonly drift: Pick<DriftRepository, 'events'>) {}

  @Get('events')
  async events(@Query(new ZodPipe(driftQuerySchema)) q: DriftQuery): Promise<{ items: ApiDriftEvent[] }> {
    return { items: await this.drift.events(q) };
  }
}

import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { DRIFT_REPOSITORY } from '../api.tokens';
import { ZodPipe } from '../http/zod.pipe';
import { RequireRole } from '../security/roles.decorator';
import { DriftCheckService } from './drift-check.service';
import type { DriftRepository } from './drift.repository';
import { type ApiDriftEvent, type DriftCheckRequest, type DriftCheckResult, driftCheckSchema, type DriftQuery, driftQuerySchema } from './drift.schemas';

/** Drift events so far (the drift service's drifted window tests), newest first; a posted sample checked against a model's reference. */
@Controller('v1/drift')
export class DriftController {
  constructor(
    @Inject(DRIFT_REPOSITORY) private readonly drift: Pick<DriftRepository, 'events'>,
    @Inject(DriftCheckService) private readonly checks: DriftCheckService,
  ) {}

  /** Operators and up: a permutation test over up to 1,000 posted vectors costs real CPU. */
  @Post('check')
  @HttpCode(200)
  @RequireRole('operator')
  check(@Body(new ZodPipe(driftCheckSchema)) body: DriftCheckRequest): Promise<DriftCheckResult> {
    return this.checks.check(body);
  }

  @Get('events')
  async events(@Query(new ZodPipe(driftQuerySchema)) q: DriftQuery): Promise<{ items: ApiDriftEvent[] }> {
    return { items: await this.drift.events(q) };
  }
}

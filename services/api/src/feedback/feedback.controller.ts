import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req } from '@nestjs/common';
import type { OperatorFeedback } from '@vigil/contracts';
import { ZodPipe } from '../http/zod.pipe';
import type { AuthenticatedRequest } from '../security/auth.guard';
import { RequireRole } from '../security/roles.decorator';
import { type FeedbackRequest, feedbackQuerySchema, feedbackRequestSchema } from './feedback.schemas';
import { FeedbackService } from './feedback.service';

@Controller('v1/feedback')
export class FeedbackController {
  constructor(@Inject(FeedbackService) private readonly feedback: FeedbackService) {}

  @Post()
  @HttpCode(201)
  @RequireRole('operator')
  record(@Body(new ZodPipe(feedbackRequestSchema)) body: FeedbackRequest, @Req() req: AuthenticatedRequest): Promise<OperatorFeedback> {
    return this.feedback.record(body, req.principal!);
  }

  @Get()
  async list(@Query(new ZodPipe(feedbackQuerySchema)) q: { deviceId: string; limit: number }): Promise<{ items: OperatorFeedback[] }> {
    return { items: await this.feedback.forDevice(q.deviceId, q.limit) };
  }
}

/**
 * Operator feedback: a verdict on one window must name a window that exists (its model version is recorded with
 * it); a fault label names a range. Who is the authenticated principal, never a field of the request.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { OperatorFeedback } from '@vigil/contracts';
import type { AnomaliesRepository } from '../anomalies/anomalies.repository';
import { ANOMALIES_REPOSITORY, CLOCK, type Clock, FEEDBACK_REPOSITORY } from '../api.tokens';
import type { Principal } from '../security/principal';
import type { FeedbackRequest } from './feedback.schemas';
import type { FeedbackRepository } from './feedback.repository';

@Injectable()
export class FeedbackService {
  constructor(
    @Inject(FEEDBACK_REPOSITORY) private readonly feedback: FeedbackRepository,
    @Inject(ANOMALIES_REPOSITORY) private readonly results: AnomaliesRepository,
    @Inject(CLOCK) private readonly now: Clock,
  ) {}

  async record(req: FeedbackRequest, who: Principal): Promise<OperatorFeedback> {
    const base = { feedbackId: randomUUID(), createdAtMs: this.now(), deviceId: req.deviceId, kind: req.kind, operator: who.id, reason: req.reason };
    let record: OperatorFeedback;
    if (req.kind === 'LABEL_FAULT') {
      record = { ...base, windowStartMs: null, rangeStartMs: req.rangeStartMs, rangeEndMs: req.rangeEndMs, faultType: req.faultType, modelVersion: null };
    } else {
      const window = await this.results.window(req.deviceId, req.windowStartMs);
      if (!window) throw new NotFoundException({ error: 'not_found', message: `no result for ${req.deviceId} at window ${req.windowStartMs}` });
      record = {
        ...base,
        windowStartMs: req.windowStartMs,
        rangeStartMs: req.windowStartMs,
        rangeEndMs: Number(window.window_end_ms),
        faultType: req.kind === 'CONFIRM' ? (req.faultType ?? null) : null,
        modelVersion: window.model_version,
      };
    }
    await this.feedback.save(record);
    return record;
  }

  forDevice(deviceId: string, limit: number): Promise<OperatorFeedback[]> {
    return this.feedback.forDevice(deviceId, limit);
  }
}

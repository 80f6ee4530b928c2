/**
 * The trainer's Prometheus metrics; names are `TRAINER_METRICS` of `@vigil/contracts`, which the dashboards import.
 */
import { Inject, Injectable } from '@nestjs/common';
import { METRIC_PREFIX, TRAINER_METRICS } from '@vigil/contracts';
import { METRICS_REGISTRY } from '@vigil/service';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { JobOutcome, RetrainObserver } from '../retraining/retrain.service';
import type { TrainingProgress } from '../retraining/training-worker.runner';

export const TRAINER_METRIC_PREFIX = METRIC_PREFIX.trainer;

@Injectable()
export class TrainerMetrics implements RetrainObserver {
  readonly jobs: Counter;
  readonly epoch: Gauge;
  readonly epochLoss: Gauge;

  constructor(@Inject(METRICS_REGISTRY) readonly registry: Registry) {
    const registers = [registry];
    this.jobs = new Counter({ name: TRAINER_METRICS.jobs, help: 'Retrain jobs finished, by outcome', labelNames: ['status'], registers });
    this.epoch = new Gauge({ name: TRAINER_METRICS.epoch, help: 'Epoch of the running job (progress)', registers });
    this.epochLoss = new Gauge({ name: TRAINER_METRICS.epochLoss, help: 'Training loss of the last epoch', registers });
  }

  progress(progress: TrainingProgress): void {
    this.epoch.set(progress.epoch);
    this.epochLoss.set(progress.loss);
  }

  finished(outcome: JobOutcome): void {
    this.jobs.inc({ status: outcome.status });
  }
}

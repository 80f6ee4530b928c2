/**
 * Orchestration of the trainer, no maths: retrain requests queue up (one job at a time, a request id only
 * once), each job assembles recent normal data, trains the challenger in the worker, compares champion and
 * challenger on the same held-out windows and promotes the challenger only if it is better (the detector
 * hot-swaps to the newly served version). Progress and the last outcome are readable; a job can be cancelled.
 */
import type { Modality, RetrainRequest } from '@vigil/contracts';
import type { NormalWindowSplit } from './normal-windows';
import { decidePromotion, type PromotionDecision } from './champion-challenger';
import type { TrainingJob } from './training-job';
import type { RunningTraining, TrainingOutcome, TrainingProgress, TrainingRunner } from './training-worker.runner';

export interface TrainingDataSource {
  /** Normal windows of [dataFromMs, dataToMs], flagged and operator-confirmed ranges excluded. */
  assemble(request: RetrainRequest): Promise<NormalWindowSplit & { channelNames: string[]; source: string }>;
}

export interface Promoter {
  promote(modelName: string, version: string): Promise<void>;
}

export interface RetrainSettings {
  /** The model line this trainer trains; retrain requests for other modalities' models are not its to run. */
  modality: Modality;
  modelName: string;
  minTrainWindows: number;
  minImprovement: number;
  job: Pick<TrainingJob, 'registryRoot' | 'trackingUri' | 'runsDir' | 'workDir' | 'epochs' | 'latentDim' | 'klBeta' | 'seed'>;
}

export type JobOutcome =
  | { requestId: string; status: 'promoted' | 'kept-champion'; version: string; runId: string; decision: PromotionDecision }
  | { requestId: string; status: 'cancelled' | 'failed' | 'skipped'; reason: string };

export interface RetrainObserver {
  progress(progress: TrainingProgress): void;
  finished(outcome: JobOutcome): void;
}

export interface RetrainStatus {
  running: { requestId: string; progress: TrainingProgress | null } | null;
  queued: string[];
  last: JobOutcome | null;
  /** The latest outcomes, oldest first (a skipped request must not hide the promotion just before it). */
  recent: JobOutcome[];
}

/** How many outcomes `status().recent` keeps. */
const RECENT_OUTCOMES = 20;

export class RetrainService {
  private readonly queue: RetrainRequest[] = [];
  private readonly seen = new Set<string>();
  private running: { request: RetrainRequest; training: RunningTraining | null; progress: TrainingProgress | null; cancelled: boolean } | null = null;
  private readonly recent: JobOutcome[] = [];
  private idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly settings: RetrainSettings,
    private readonly data: TrainingDataSource,
    private readonly runner: TrainingRunner,
    private readonly promoter: Promoter,
    private readonly observer: RetrainObserver,
  ) {}

  /**
   * Queues a request (a repeated id is ignored); returns at once. The drift service asks per model line (a
   * sensor VAE, a fused multimodal model): a request for another modality is answered `skipped`, never trained
   * on this line's data.
   */
  submit(request: RetrainRequest): boolean {
    if (this.seen.has(request.requestId)) return false;
    this.seen.add(request.requestId);
    if (request.modality !== this.settings.modality) {
      this.finish({
        requestId: request.requestId,
        status: 'skipped',
        reason: `a ${request.modality} model; this trainer trains the ${this.settings.modality} one`,
      });
      return false;
    }
    this.queue.push(request);
    if (!this.running) this.idle = this.drain();
    return true;
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  whenIdle(): Promise<void> {
    return this.idle;
  }

  cancel(requestId: string): boolean {
    const queued = this.queue.findIndex((r) => r.requestId === requestId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.finish({ requestId, status: 'cancelled', reason: 'cancelled before it started' });
      return true;
    }
    if (this.running?.request.requestId !== requestId) return false;
    this.running.cancelled = true;
    this.running.training?.cancel();
    return true;
  }

  status(): RetrainStatus {
    return {
      running: this.running ? { requestId: this.running.request.requestId, progress: this.running.progress } : null,
      queued: this.queue.map((r) => r.requestId),
      last: this.recent.at(-1) ?? null,
      recent: [...this.recent],
    };
  }

  private async drain(): Promise<void> {
    for (let request = this.queue.shift(); request; request = this.queue.shift()) {
      this.running = { request, training: null, progress: null, cancelled: false };
      try {
        this.finish(await this.run(request));
      } catch (error) {
        this.finish({ requestId: request.requestId, status: 'failed', reason: (error as Error).message });
      } finally {
        this.running = null;
      }
    }
  }

  private async run(request: RetrainRequest): Promise<JobOutcome> {
    const split = await this.data.assemble(request);
    const { requestId } = request;
    if (split.train.batch < this.settings.minTrainWindows)
      return {
        requestId,
        status: 'skipped',
        reason: `only ${split.train.batch} normal training windows (< ${this.settings.minTrainWindows}) in ${split.source}`,
      };
    if (this.running?.cancelled) return { requestId, status: 'cancelled', reason: 'cancelled while assembling data' };
    const job: TrainingJob = {
      ...this.settings.job,
      requestId,
      modelName: this.settings.modelName,
      channelNames: split.channelNames,
      train: split.train,
      calibration: split.calibration,
      heldOut: split.heldOut,
      dataSource: split.source,
    };
    const training = this.runner.start(job, (progress) => {
      if (this.running) this.running.progress = progress;
      this.observer.progress(progress);
    });
    this.running!.training = training;
    return this.judge(requestId, await training.result);
  }

  private async judge(requestId: string, outcome: TrainingOutcome): Promise<JobOutcome> {
    if (outcome.kind === 'cancelled') return { requestId, status: 'cancelled', reason: 'cancelled during training' };
    if (outcome.kind === 'failed') return { requestId, status: 'failed', reason: outcome.message };
    const decision = decidePromotion({ champion: outcome.champion, challenger: outcome.challenger, minImprovement: this.settings.minImprovement });
    if (decision.promote) await this.promoter.promote(this.settings.modelName, outcome.version);
    return { requestId, status: decision.promote ? 'promoted' : 'kept-champion', version: outcome.version, runId: outcome.runId, decision };
  }

  private finish(outcome: JobOutcome): void {
    this.recent.push(outcome);
    if (this.recent.length > RECENT_OUTCOMES) this.recent.shift();
    this.observer.finished(outcome);
  }
}

/**
 * The root-cause worker: KernelSHAP for flagged windows, off the hot path, in the detector process. Scoring
 * hands it a flagged window once that window's result is on its way to Kafka (`submit` only queues, so the
 * hot path never waits for it); the worker computes one explanation per macrotask — so consuming and scoring
 * interleave with it — within a budget of DETECTOR_SHAP_BUDGET_MS_PER_S milliseconds per second (at most
 * DETECTOR_SHAP_MAX_COALITIONS coalitions each), and publishes a `ShapExplanation` with the result's key
 * (deviceId, windowStartMs, windowEndMs) to `vigil.root-cause.shap.v1`. Over budget it waits for the budget
 * to refill; a queue over DETECTOR_SHAP_QUEUE drops its oldest jobs (an alarm storm keeps the newest).
 * Explanations are best effort: a restart loses the queue, the results themselves are durable regardless.
 *
 * Why not a worker thread: each explanation is one batched model call of ≤ 2^M windows, made on the scorer's
 * ONNX session when it has one (`ShapProblem.valueAsync`: with DETECTOR_ONNX_SESSION_HOST=worker, the default, the
 * call runs in the ONNX session worker thread, not on the event loop), the budget bounds its share of the CPU, and
 * the models stay loaded once.
 *
 * @example
 *   const worker = new RootCauseWorker({ budgetMsPerS: 100, maxCoalitions: 256, maxQueue: 64 }, (xs) => publisher.publish(topic, xs));
 *   published.then(() => worker.submit(jobs));
 */
import type { AnomalyResult, Modality, ShapExplanation } from '@vigil/contracts';
import { describeShap, explainWithShapAsync, type FlaggedFrame, type ModalityScorer } from '@vigil/detection';

export interface RootCauseWorkerOptions {
  /** Milliseconds of computation per second of wall-clock time, bursting to one second's worth. */
  budgetMsPerS: number;
  maxCoalitions: number;
  maxQueue: number;
  seed?: number;
}

/** A flagged window to explain: its result (for the key) and the scorer whose verdict is explained. */
export interface ShapJob {
  result: AnomalyResult;
  scorer: ModalityScorer;
  frame: FlaggedFrame;
}

export interface RootCauseWorkerClock {
  /** Monotonic milliseconds, for the budget. */
  now(): number;
  /** Epoch milliseconds, for `processedAtMs`. */
  epochMs(): number;
  /** Runs fn after the current macrotask (setImmediate) or after ms (setTimeout). */
  later(fn: () => void, ms: number): void;
}

const realClock: RootCauseWorkerClock = {
  now: () => performance.now(),
  epochMs: () => Date.now(),
  later: (fn, ms) => (ms > 0 ? setTimeout(fn, ms).unref() : setImmediate(fn)),
};

export interface RootCauseWorkerStats {
  explained: number;
  /** Jobs dropped because the queue was full. */
  dropped: number;
  /** Jobs without a SHAP problem (fewer than two players). */
  skipped: number;
  failed: number;
  /** Milliseconds spent computing, in all. */
  computeMs: number;
}

export class RootCauseWorker {
  private readonly queue: ShapJob[] = [];
  private tokensMs: number;
  private refilledAt: number;
  private scheduled = false;
  private running?: Promise<void>;
  private stopped = false;
  private readonly waiters: (() => void)[] = [];
  /** Computed, not yet published. */
  private readonly outbox: ShapExplanation[] = [];
  private sending?: Promise<void>;
  readonly stats: RootCauseWorkerStats = { explained: 0, dropped: 0, skipped: 0, failed: 0, computeMs: 0 };

  constructor(
    private readonly options: RootCauseWorkerOptions,
    private readonly publish: (explanations: ShapExplanation[]) => Promise<void>,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly clock: RootCauseWorkerClock = realClock,
  ) {
    this.tokensMs = options.budgetMsPerS;
    this.refilledAt = clock.now();
  }

  /** Queues flagged windows and returns at once; the work happens later, within the budget. */
  submit(jobs: readonly ShapJob[]): void {
    if (this.stopped || this.options.budgetMsPerS <= 0) return;
    for (const job of jobs) {
      this.queue.push(job);
      if (this.queue.length > this.options.maxQueue) {
        this.queue.shift();
        this.stats.dropped++;
      }
    }
    this.schedule(0);
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves once the queue is empty and the last explanation is published (tests, shutdown). */
  idle(): Promise<void> {
    if (this.queue.length === 0 && !this.scheduled && !this.running && !this.sending) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Stops taking and running jobs (graceful shutdown: explanations are best effort). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private schedule(ms: number): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    this.clock.later(() => {
      this.scheduled = false;
      this.running = this.step().finally(() => {
        this.running = undefined;
        if (this.queue.length > 0 && !this.stopped) this.schedule(this.waitMs());
        else if (!this.sending) this.waiters.splice(0).forEach((w) => w());
      });
    }, ms);
  }

  /** How long until the budget has something to spend again. */
  private waitMs(): number {
    this.refill();
    return this.tokensMs > 0 ? 0 : Math.ceil((-this.tokensMs / this.options.budgetMsPerS) * 1000) + 1;
  }

  private refill(): void {
    const t = this.clock.now();
    this.tokensMs = Math.min(this.options.budgetMsPerS, this.tokensMs + ((t - this.refilledAt) / 1000) * this.options.budgetMsPerS);
    this.refilledAt = t;
  }

  /** One explanation, if the budget allows: its cost (possibly past the budget) is charged afterwards. */
  private async step(): Promise<void> {
    this.refill();
    if (this.tokensMs <= 0) return;
    const job = this.queue.shift();
    if (!job) return;
    const t0 = this.clock.now();
    let explanation: ShapExplanation | undefined;
    try {
      explanation = await this.explain(job, t0);
    } catch (err) {
      this.stats.failed++;
      this.onError(err);
    }
    const ms = this.clock.now() - t0;
    this.tokensMs -= ms;
    this.stats.computeMs += ms;
    if (!explanation) return;
    this.outbox.push({ ...explanation, computeMs: ms });
    void this.flushOutbox();
  }

  /**
   * Publishes what the outbox holds, one send at a time with everything that piled up meanwhile: computing never
   * waits for Kafka, and a slow broker costs few sends.
   */
  private async flushOutbox(): Promise<void> {
    if (this.sending) return this.sending;
    this.sending = (async () => {
      while (this.outbox.length > 0) {
        const batch = this.outbox.splice(0);
        try {
          await this.publish(batch);
          this.stats.explained += batch.length;
        } catch (err) {
          this.stats.failed += batch.length;
          this.onError(err);
        }
      }
    })().finally(() => {
      this.sending = undefined;
      if (this.queue.length === 0 && !this.scheduled && !this.running) this.waiters.splice(0).forEach((w) => w());
    });
    return this.sending;
  }

  private async explain({ result, scorer, frame }: ShapJob, t0: number): Promise<ShapExplanation | undefined> {
    const problem = scorer.shapProblem?.(frame);
    if (!problem) {
      this.stats.skipped++;
      return undefined;
    }
    // On the scorer's asynchronous (ONNX) pass when it has one: far shorter than a tfjs call of up to 2^M windows,
    // and in a task of its own. Not off the event loop, though: onnxruntime-node's run() is the synchronous run
    // deferred by setImmediate (onnxruntime-node 1.30, dist/backend.js), so consuming waits between such calls.
    const shap = await explainWithShapAsync(problem, { maxCoalitions: this.options.maxCoalitions, seed: this.options.seed ?? 1 });
    const modality: Modality = scorer.modality;
    const verdict = result.modalities.find((m) => m.modality === modality);
    return {
      deviceId: result.deviceId,
      windowStartMs: result.windowStartMs,
      windowEndMs: result.windowEndMs,
      modelVersion: result.modelVersion,
      modality,
      score: verdict?.score ?? shap.fullValue,
      threshold: verdict?.threshold ?? 0,
      contributions: shap.contributions,
      baseValue: shap.baseValue,
      exact: shap.exact,
      coalitionsEvaluated: shap.coalitionsEvaluated,
      computeMs: this.clock.now() - t0,
      summary: describeShap(shap, modality === 'FUSED' ? 'modalities' : 'channels'),
      processedAtMs: this.clock.epochMs(),
    };
  }
}

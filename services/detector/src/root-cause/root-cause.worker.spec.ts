import type { AnomalyResult, ShapExplanation } from '@vigil/contracts';
import type { FlaggedFrame, ModalityScorer, ShapProblem } from '@vigil/detection';
import { describe, expect, it } from 'vitest';
import { RootCauseWorker, type RootCauseWorkerClock, type ShapJob } from './root-cause.worker';

/** A clock the test drives: `later` queues tasks, `run` executes the due ones in order. */
class ManualClock implements RootCauseWorkerClock {
  ms = 0;
  private tasks: { at: number; fn: () => void }[] = [];
  now = () => this.ms;
  epochMs = () => 1_700_000_000_000 + this.ms;
  later(fn: () => void, ms: number): void {
    this.tasks.push({ at: this.ms + ms, fn });
  }
  /** Runs due tasks (and those they schedule) until none is due; returns how many ran. */
  async run(): Promise<number> {
    let ran = 0;
    for (;;) {
      const i = this.tasks.findIndex((t) => t.at <= this.ms);
      if (i < 0) return ran;
      this.tasks.splice(i, 1)[0]!.fn();
      ran++;
      for (let k = 0; k < 5; k++) await Promise.resolve(); // let the step's publish settle
    }
  }
  get nextAt(): number | undefined {
    return this.tasks.length ? Math.min(...this.tasks.map((t) => t.at)) : undefined;
  }
}

/** Three channels whose score is additive (a = 3, b = 1, c = 0 above the background); one explanation costs `costMs`. */
function scorer(clock: ManualClock, costMs: number, calls: { n: number }): ModalityScorer {
  const problem: ShapProblem = {
    players: ['a', 'b', 'c'],
    value(masks, count) {
      calls.n++;
      return Float64Array.from({ length: count }, (_, k) => 1 + 3 * masks[3 * k]! + masks[3 * k + 1]!);
    },
  };
  const shapProblem = () => {
    clock.ms += costMs; // the model calls' time, as the worker's clock sees it
    return problem;
  };
  return { modality: 'SENSOR', shapProblem } as unknown as ModalityScorer;
}

function job(i: number, s: ModalityScorer): ShapJob {
  const result = {
    deviceId: `dev-${i}`,
    windowStartMs: 1000 * i,
    windowEndMs: 1000 * i + 3000,
    modelVersion: 'm@v1',
    modalities: [{ modality: 'SENSOR', score: 5, threshold: 2, isAnomaly: true }],
  } as unknown as AnomalyResult;
  return { result, scorer: s, frame: {} as FlaggedFrame };
}

describe('RootCauseWorker', () => {
  it('queues without computing (the hot path does not wait), then publishes each explanation with its result’s key', async () => {
    const clock = new ManualClock();
    const calls = { n: 0 };
    const published: ShapExplanation[] = [];
    const worker = new RootCauseWorker({ budgetMsPerS: 1000, maxCoalitions: 256, maxQueue: 10 }, async (xs) => void published.push(...xs), undefined, clock);
    const s = scorer(clock, 1, calls);
    worker.submit([job(1, s), job(2, s)]);
    expect(calls.n).toBe(0); // submit returned before any model call
    expect(worker.pending).toBe(2);
    await clock.run();
    expect(published.map((p) => [p.deviceId, p.windowStartMs, p.windowEndMs])).toEqual([
      ['dev-1', 1000, 4000],
      ['dev-2', 2000, 5000],
    ]);
    const [first] = published;
    expect(first!.contributions.map((c) => [c.name, Number(c.value.toFixed(6)) + 0])).toEqual([
      ['a', 3],
      ['b', 1],
      ['c', 0],
    ]);
    expect(first).toMatchObject({ modality: 'SENSOR', score: 5, threshold: 2, baseValue: 1, exact: true, modelVersion: 'm@v1' });
    expect(first!.summary).toMatch(/^KernelSHAP over channels: a/);
  });

  it('explains on the scorer’s asynchronous pass when it has one, leaving the event loop free meanwhile', async () => {
    const clock = new ManualClock();
    const calls = { n: 0 };
    let answer: (() => void) | undefined;
    const problem: ShapProblem = {
      players: ['a', 'b', 'c'],
      value() {
        throw new Error('the synchronous (tfjs) pass must not run');
      },
      valueAsync(masks, count) {
        calls.n++;
        return new Promise((resolve) => (answer = () => resolve(Float64Array.from({ length: count }, (_, k) => 1 + 3 * masks[3 * k]! + masks[3 * k + 1]!))));
      },
    };
    const s = { modality: 'SENSOR', shapProblem: () => problem } as unknown as ModalityScorer;
    const published: ShapExplanation[] = [];
    const worker = new RootCauseWorker({ budgetMsPerS: 1000, maxCoalitions: 256, maxQueue: 10 }, async (xs) => void published.push(...xs), undefined, clock);
    worker.submit([job(1, s)]);
    await clock.run();
    expect(calls.n).toBe(1); // one call for ∅, the full set and every coalition
    expect(published).toHaveLength(0); // still waiting for the model: the worker's step has yielded
    answer!();
    await worker.idle();
    expect(published[0]!.contributions.map((c) => [c.name, Number(c.value.toFixed(6)) + 0])).toEqual([
      ['a', 3],
      ['b', 1],
      ['c', 0],
    ]);
    expect(worker.stats).toMatchObject({ explained: 1, failed: 0 });
  });

  it('spends at most its budget per second, resuming when it refills', async () => {
    const clock = new ManualClock();
    const calls = { n: 0 };
    const published: ShapExplanation[] = [];
    // 100 ms per second, 30 ms per explanation: 4 fit the burst (100 → 73 → 46 → 19 → −8, refilling 3 ms per 30 ms).
    const worker = new RootCauseWorker({ budgetMsPerS: 100, maxCoalitions: 256, maxQueue: 100 }, async (xs) => void published.push(...xs), undefined, clock);
    const s = scorer(clock, 30, calls);
    worker.submit(Array.from({ length: 10 }, (_, i) => job(i, s)));
    await clock.run();
    expect(published).toHaveLength(4);
    expect(clock.ms).toBe(120);
    // It waits for the 8 ms debt to be paid back at 100 ms/s (80 ms) before the next one, and not before.
    expect(clock.nextAt).toBe(120 + 81);
    clock.ms = clock.nextAt! - 1;
    await clock.run();
    expect(published).toHaveLength(4);
    clock.ms += 1;
    await clock.run();
    expect(published).toHaveLength(5);
    // Over any stretch, compute time stays within the budget plus one explanation.
    clock.ms += 2000;
    await clock.run();
    const spent = published.reduce((n, p) => n + p.computeMs, 0);
    expect(spent).toBeLessThanOrEqual(100 + (clock.ms / 1000) * 100 + 30);
    expect(worker.stats).toMatchObject({ dropped: 0, failed: 0 });
  });

  it('keeps the newest jobs when the queue overflows, and stops on shutdown', async () => {
    const clock = new ManualClock();
    const published: ShapExplanation[] = [];
    const worker = new RootCauseWorker({ budgetMsPerS: 1000, maxCoalitions: 256, maxQueue: 2 }, async (xs) => void published.push(...xs), undefined, clock);
    const s = scorer(clock, 1, { n: 0 });
    worker.submit([job(1, s), job(2, s), job(3, s)]);
    expect(worker.stats.dropped).toBe(1);
    await clock.run();
    expect(published.map((p) => p.deviceId)).toEqual(['dev-2', 'dev-3']);
    worker.stop();
    worker.submit([job(4, s)]);
    await clock.run();
    expect(published).toHaveLength(2);
  });
});

import type { RetrainRequest } from '@vigil/contracts';
import { seededRandom } from '@vigil/features';
import { describe, expect, it } from 'vitest';
import { RetrainService, type JobOutcome, type RetrainSettings, type TrainingDataSource } from './retrain.service';
import type { JobScores, TrainingJob } from './training-job';
import type { RunningTraining, TrainingOutcome, TrainingRunner } from './training-worker.runner';

const normal = (seed: number, n: number, mean: number) => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => r.normal(mean, 1));
};
const fits: JobScores = { calibration: normal(1, 200, 5), heldOut: normal(2, 100, 5) };
const alarms: JobScores = { calibration: normal(3, 200, 5), heldOut: normal(4, 100, 8) };

const batch = (n: number) => ({ data: new Float32Array(n * 4), batch: n, steps: 2, channels: 2 });
const data: TrainingDataSource = {
  assemble: async () => ({ train: batch(100), calibration: batch(20), heldOut: batch(20), excludedWindows: 3, channelNames: ['a', 'b'], source: 'test' }),
};
const settings: RetrainSettings = {
  modality: 'SENSOR',
  modelName: 'pump',
  minTrainWindows: 50,
  minImprovement: 0.02,
  job: { registryRoot: '/r', runsDir: '/runs', workDir: '/w', epochs: 5, latentDim: 2, klBeta: 1, seed: 1 },
};
const request = (requestId: string): RetrainRequest => ({
  requestId,
  requestedAtMs: 1,
  modality: 'SENSOR',
  trigger: 'DRIFT',
  reason: 'test',
  driftEventId: null,
  currentModelVersion: 'pump@v1',
  dataFromMs: 0,
  dataToMs: 10,
});

class FakeRunner implements TrainingRunner {
  jobs: TrainingJob[] = [];
  cancelled = 0;
  constructor(private readonly outcome: (job: TrainingJob) => TrainingOutcome | Promise<TrainingOutcome>) {}
  start(job: TrainingJob, onProgress: (p: { kind: 'progress'; epoch: number; epochs: number; loss: number; validationLoss: number }) => void): RunningTraining {
    this.jobs.push(job);
    onProgress({ kind: 'progress', epoch: 0, epochs: 5, loss: 1, validationLoss: 1 });
    return { result: Promise.resolve(this.outcome(job)), cancel: () => this.cancelled++ };
  }
}

function harness(runner: FakeRunner) {
  const promoted: string[] = [];
  const outcomes: JobOutcome[] = [];
  const service = new RetrainService(
    settings,
    data,
    runner,
    { promote: async (_, v) => void promoted.push(v) },
    { progress: () => {}, finished: (o) => outcomes.push(o) },
  );
  return { service, promoted, outcomes };
}

describe('RetrainService', () => {
  it('promotes a challenger that beats the champion on the held-out set', async () => {
    const { service, promoted, outcomes } = harness(
      new FakeRunner(() => ({ kind: 'done', runId: 'r1', version: 'c1', challenger: fits, champion: alarms, championSource: '/r/pump/v1' })),
    );
    service.submit(request('a'));
    await service.whenIdle();
    expect(promoted).toEqual(['c1']);
    expect(outcomes[0]).toMatchObject({ requestId: 'a', status: 'promoted', version: 'c1' });
  });

  it('keeps the champion when the challenger is worse', async () => {
    const { service, promoted, outcomes } = harness(
      new FakeRunner(() => ({ kind: 'done', runId: 'r1', version: 'c2', challenger: alarms, champion: fits, championSource: '/r/pump/v1' })),
    );
    service.submit(request('a'));
    await service.whenIdle();
    expect(promoted).toEqual([]);
    expect(outcomes[0]).toMatchObject({ status: 'kept-champion' });
  });

  it("answers another model line's request without training", async () => {
    const runner = new FakeRunner(() => ({ kind: 'done', runId: 'r1', version: 'c1', challenger: fits, champion: alarms, championSource: '/r/pump/v1' }));
    const { service, promoted, outcomes } = harness(runner);
    expect(service.submit({ ...request('fused'), modality: 'FUSED', currentModelVersion: 'multimodal-pump@v1' })).toBe(false);
    await service.whenIdle();
    expect(outcomes).toEqual([{ requestId: 'fused', status: 'skipped', reason: 'a FUSED model; this trainer trains the SENSOR one' }]);
    expect(runner.jobs).toHaveLength(0);
    expect(promoted).toEqual([]);
  });

  it('runs one job at a time, each request id once, and can cancel a queued or a running job', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const runner = new FakeRunner(async () => {
      await gate;
      return { kind: 'cancelled' };
    });
    const { service, outcomes } = harness(runner);
    expect(service.submit(request('a'))).toBe(true);
    expect(service.submit(request('a'))).toBe(false);
    service.submit(request('b'));
    await new Promise((r) => setTimeout(r, 0));
    expect(service.status()).toMatchObject({ running: { requestId: 'a', progress: { epoch: 0 } }, queued: ['b'] });
    expect(service.cancel('b')).toBe(true);
    expect(service.cancel('a')).toBe(true);
    expect(runner.cancelled).toBe(1);
    release();
    await service.whenIdle();
    expect(outcomes.map((o) => [o.requestId, o.status])).toEqual([
      ['b', 'cancelled'],
      ['a', 'cancelled'],
    ]);
    expect(runner.jobs).toHaveLength(1);
  });
});

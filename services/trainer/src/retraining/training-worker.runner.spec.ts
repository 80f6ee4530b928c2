import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '@vigil/features';
import type { WindowBatch } from '@vigil/ml';
import { describe, expect, it } from 'vitest';
import type { TrainingJob } from './training-job';
import { WorkerTrainingRunner, type TrainingProgress } from './training-worker.runner';

function sines(seed: number, batch: number, steps = 16): WindowBatch {
  const random = seededRandom(seed);
  const data = new Float32Array(batch * steps * 2);
  for (let b = 0; b < batch; b++) {
    const phase = random.uniform() * 6.28;
    for (let s = 0; s < steps; s++) {
      data[(b * steps + s) * 2] = Math.sin(phase + s / 3) + random.normal(0, 0.05);
      data[(b * steps + s) * 2 + 1] = Math.cos(phase + s / 3) + random.normal(0, 0.05);
    }
  }
  return { data, batch, steps, channels: 2 };
}

async function job(epochs: number): Promise<TrainingJob> {
  const root = await mkdtemp(join(tmpdir(), 'vigil-trainer-'));
  return {
    requestId: 'req-1',
    modelName: 'sines',
    registryRoot: join(root, 'models'),
    runsDir: join(root, 'runs'),
    workDir: join(root, 'work'),
    channelNames: ['a', 'b'],
    train: sines(1, 96),
    calibration: sines(2, 40),
    heldOut: sines(3, 40),
    epochs,
    latentDim: 2,
    klBeta: 1,
    seed: 3,
    dataSource: 'sines',
  };
}

describe('WorkerTrainingRunner (a real worker thread)', () => {
  it('trains and registers a candidate through trainAndRegister, reporting every epoch', async () => {
    const progress: TrainingProgress[] = [];
    const j = await job(2);
    const outcome = await new WorkerTrainingRunner().start(j, (p) => progress.push(p)).result;
    expect(outcome).toMatchObject({ kind: 'done', version: 'c1', champion: null });
    expect(progress.map((p) => p.epoch)).toEqual([0, 1]);
    if (outcome.kind !== 'done') return;
    expect(outcome.challenger.heldOut).toHaveLength(40);
    expect(existsSync(join(j.registryRoot, 'sines', 'candidates', 'c1', 'calibration-scores.json'))).toBe(true);
  });

  it('carries the champion’s sensor-health rules into the challenger (they describe the sensors, not the weights)', async () => {
    const first = await job(1);
    expect((await new WorkerTrainingRunner().start(first, () => {}).result).kind).toBe('done');
    // Serve that candidate as v1 with rules of its own, then retrain against it.
    const champion = join(first.registryRoot, 'sines', 'v1');
    await cp(join(first.registryRoot, 'sines', 'candidates', 'c1'), champion, { recursive: true });
    const rules = `${JSON.stringify({ channels: { a: { min: -2, max: 2 }, b: { maxRatePerS: 5 } }, maxGapMs: 1500 })}\n`;
    await writeFile(join(champion, 'sensor-health.json'), rules);
    const outcome = await new WorkerTrainingRunner().start({ ...first, requestId: 'req-2' }, () => {}).result;
    expect(outcome).toMatchObject({ kind: 'done', championSource: champion });
    if (outcome.kind !== 'done') return;
    expect(await readFile(join(first.registryRoot, 'sines', 'candidates', outcome.version, 'sensor-health.json'), 'utf8')).toBe(rules);
    // A first version (no champion) has none to carry.
    expect(existsSync(join(first.registryRoot, 'sines', 'candidates', 'c1', 'sensor-health.json'))).toBe(false);
  });

  it('stops after the current epoch when cancelled; nothing is registered', async () => {
    const j = await job(50);
    const running = new WorkerTrainingRunner().start(j, () => running.cancel());
    expect(await running.result).toEqual({ kind: 'cancelled' });
    expect(existsSync(join(j.registryRoot, 'sines', 'candidates'))).toBe(false);
  });
});

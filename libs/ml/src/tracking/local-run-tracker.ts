/**
 * The tracker without a server: one folder per run, `<root>/<experiment>/<runId>/` with `run.json` (name,
 * tags, status, times), `params.json`, `metrics.jsonl` (one `{ key, value, step, timestamp }` per line, so
 * per-epoch losses append cheaply) and `artifacts/`. Run ids start with the UTC start time, so `ls` sorts them.
 *
 * @example
 *   const tracker = new LocalRunTracker('.runs');
 *   const run = await tracker.startRun({ experiment: 'sensor-pump' });   // .runs/sensor-pump/20261201T084500Z-1a2b3c4d/
 */
import { randomUUID } from 'node:crypto';
import { appendFile, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { artifactFiles } from './artifact-files';
import { type ExperimentTracker, type ParamValue, type RunStatus, type StartRunInput, type TrackedRun, TrackingError } from './experiment-tracker';

export interface LocalRunRecord {
  runId: string;
  experiment: string;
  runName: string | null;
  tags: Record<string, string>;
  status: 'RUNNING' | RunStatus;
  startTime: number;
  endTime: number | null;
}

export interface LocalMetric {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

class LocalRun implements TrackedRun {
  readonly experimentId: string;

  constructor(
    readonly runId: string,
    readonly dir: string,
    private record: LocalRunRecord,
    private readonly now: () => number,
  ) {
    this.experimentId = record.experiment;
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    const file = join(this.dir, 'params.json');
    const existing = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    for (const [key, value] of Object.entries(params)) existing[key] = String(value);
    await writeFile(file, JSON.stringify(existing, null, 1) + '\n');
  }

  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    const timestamp = this.now();
    const lines = Object.entries(metrics).map(([key, value]) => JSON.stringify({ key, value, step, timestamp } satisfies LocalMetric) + '\n');
    await appendFile(join(this.dir, 'metrics.jsonl'), lines.join(''));
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    for (const file of await artifactFiles(localPath, artifactPath)) {
      const target = join(this.dir, 'artifacts', ...file.artifactPath.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await copyFile(file.absolutePath, target);
    }
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    this.record = { ...this.record, tags: { ...this.record.tags, ...tags } };
    await this.save();
  }

  async end(status: RunStatus): Promise<void> {
    this.record = { ...this.record, status, endTime: this.now() };
    await this.save();
  }

  private save(): Promise<void> {
    return writeFile(join(this.dir, 'run.json'), JSON.stringify(this.record, null, 1) + '\n');
  }
}

export class LocalRunTracker implements ExperimentTracker {
  readonly kind = 'local';

  constructor(
    readonly root: string,
    private readonly now: () => number = Date.now,
  ) {}

  async startRun(input: StartRunInput): Promise<LocalRun> {
    if (!SAFE_NAME.test(input.experiment)) throw new TrackingError(`experiment name "${input.experiment}" must be a plain folder name`, false);
    const startTime = this.now();
    const stamp = new Date(startTime)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const runId = `${stamp}-${randomUUID().slice(0, 8)}`;
    const dir = join(this.root, input.experiment, runId);
    await mkdir(join(dir, 'artifacts'), { recursive: true });
    const record: LocalRunRecord = {
      runId,
      experiment: input.experiment,
      runName: input.runName ?? null,
      tags: input.tags ?? {},
      status: 'RUNNING',
      startTime,
      endTime: null,
    };
    await writeFile(join(dir, 'params.json'), '{}\n');
    await writeFile(join(dir, 'metrics.jsonl'), '');
    const run = new LocalRun(runId, dir, record, this.now);
    await run.setTags({});
    return run;
  }
}

/** Reads a local run back (for tests, reports and the trainer's progress). */
export async function readLocalRun(dir: string): Promise<{ record: LocalRunRecord; params: Record<string, string>; metrics: LocalMetric[] }> {
  const record = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as LocalRunRecord;
  const params = JSON.parse(await readFile(join(dir, 'params.json'), 'utf8')) as Record<string, string>;
  const metrics = (await readFile(join(dir, 'metrics.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LocalMetric);
  return { record, params, metrics };
}

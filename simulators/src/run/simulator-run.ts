/**
 * Runs one simulator process end to end: scenario → (replay data if the scenario asks) → planned sends → pacer
 * → sink, measuring what went out and the CPU the process spent. The CLI and the fleet benchmark both call
 * this; a sensor-only, audio-only or image-only simulator is the same run with fewer streams.
 *
 * @example
 *   const report = await runSimulator({ scenario, streams: new Set(['sensor', 'label']), sink, speed: 1 });
 *   report.pace.sent; report.cpu.userMs;
 */
import type { Scenario } from '../scenario/scenario.types';
import { loadReplayCatalogue } from '../replay/replay-catalogue';
import { pace, type Clock, type PaceStats } from '../simulation/pacer';
import type { PlannedSend, Stream } from '../simulation/sim-event';
import { planRun } from '../simulation/simulation';
import type { EventSink } from '../sinks/event-sink';

export interface RunOptions {
  scenario: Scenario;
  streams: ReadonlySet<Stream>;
  sink: EventSink;
  speed: number | 'max';
  dataDir: string;
  clock?: Clock;
  signal?: AbortSignal;
  /** Called every `progressEveryMs` of wall time with the sends so far. */
  onProgress?: (sent: number, lagMs: number) => void;
  progressEveryMs?: number;
}

export interface RunReport {
  scenario: string;
  devices: number;
  faults: number;
  labels: number;
  startMs: number;
  pace: PaceStats;
  /** Process CPU over the run (user + system), and as a share of one core over the wall time. */
  cpu: { userMs: number; systemMs: number; coreShare: number };
}

export async function runSimulator(opts: RunOptions): Promise<RunReport> {
  const replay = await loadReplayCatalogue(opts.scenario, opts.dataDir);
  const now = (opts.clock ?? { now: () => Date.now() }).now();
  // Live runs start on the next whole second so event times look like a device clock's.
  const plan = planRun(opts.scenario, { startMs: Math.ceil(now / 1000) * 1000, streams: opts.streams, replay });
  const cpuBefore = process.cpuUsage();
  let lastProgress = Date.now();
  let sent = 0;
  const stats = await pace(plan.batches(), opts.sink, {
    speed: opts.speed,
    simStartMs: plan.fleet.startMs,
    clock: opts.clock,
    signal: opts.signal,
    onBatch: (batch: readonly PlannedSend[], lagMs: number) => {
      sent += batch.length;
      if (opts.onProgress && Date.now() - lastProgress >= (opts.progressEveryMs ?? 10_000)) {
        lastProgress = Date.now();
        opts.onProgress(sent, lagMs);
      }
    },
  });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    scenario: opts.scenario.name,
    devices: plan.fleet.devices.length,
    faults: plan.fleet.faults.length,
    labels: plan.fleet.labels.length,
    startMs: plan.fleet.startMs,
    pace: stats,
    cpu: { userMs: cpu.user / 1000, systemMs: cpu.system / 1000, coreShare: (cpu.user + cpu.system) / 1000 / Math.max(1, stats.wallMs) },
  };
}

/**
 * One simulator run, pure part: scenario → fleet → delivery model → the lazy stream of planned sends. Shared
 * by the CLI, the fleet benchmark and the tests, so all three produce exactly the same events for a seed.
 *
 * @example
 *   const run = planRun(parseScenario(text), { startMs: Date.now(), streams: new Set(['sensor', 'label']) });
 *   for (const batch of run.batches()) …
 */
import type { Scenario } from '../scenario/scenario.types';
import { DeliveryModel } from '../timing/delivery-model';
import { buildFleet, type Fleet, type ReplayCatalogue } from './fleet-builder';
import { fleetStream } from './fleet-stream';
import { STREAMS, type PlannedSend, type Stream } from './sim-event';

export interface RunPlan {
  scenario: Scenario;
  fleet: Fleet;
  streams: ReadonlySet<Stream>;
  /** A fresh pass over the run's sends each call (generators are rebuilt, so passes are identical). */
  batches(): Generator<PlannedSend[]>;
}

export interface PlanOptions {
  /** Epoch ms of the first sample; the scenario's `startTimeMs` wins when set. */
  startMs: number;
  streams?: ReadonlySet<Stream>;
  replay?: ReplayCatalogue;
  sliceMs?: number;
}

export function planRun(scenario: Scenario, opts: PlanOptions): RunPlan {
  const startMs = scenario.startTimeMs ?? opts.startMs;
  const streams = opts.streams ?? new Set(STREAMS);
  const build = () => buildFleet(scenario, { startMs, replay: opts.replay });
  return {
    scenario,
    fleet: build(),
    streams,
    batches: () => fleetStream(build(), new DeliveryModel(scenario.timing, scenario.seed, startMs), { streams, sliceMs: opts.sliceMs }),
  };
}

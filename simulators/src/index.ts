/**
 * @vigil/simulators — a device fleet streaming sensors, sound and thermal images, replayed from real data or
 * synthesised, with correlated faults and ground-truth labels. The pure planning (what is sent, when) is apart
 * from pacing and sinks, so tests and end-to-end suites can run a scenario instantly or in real time.
 *
 * @example
 *   import { KafkaSink, pace, parseScenario, planRun } from '@vigil/simulators';
 *   const run = planRun(parseScenario(yamlText), { startMs: Date.now() });
 *   const sink = await KafkaSink.connect({ brokers, registryUrl, clientId: 'sim' });
 *   await pace(run.batches(), sink, { speed: 1, simStartMs: run.fleet.startMs });
 *   await sink.close();
 */
export * from './scenario/scenario.types';
export { parseScenario, validateScenario, ScenarioError } from './scenario/scenario-parser';
export { type Fault, severityAt } from './faults/fault';
export { FAULT_EFFECTS, affectedChannels, affectedModalities } from './faults/fault-catalogue';
export { UnknownDeviceError } from './faults/fault-planner';
export { OperatingProfile } from './device/operating-profile';
export type { ModalitySource } from './device/modality-source';
export { SYNTHETIC_CHANNELS } from './sensor/synthetic-sensor.source';
export { TEMPERATURE_SCALE, celsiusToPixel, pixelToCelsius } from './image/synthetic-thermal.source';
export { floatToPcm16, pcm16ToFloat } from './audio/pcm';
export { loadReplayCatalogue } from './replay/replay-catalogue';
export { buildFleet, ReplayUnavailableError, type Fleet, type SimDevice } from './simulation/fleet-builder';
export { planRun, type RunPlan, type PlanOptions } from './simulation/simulation';
export { pace, SYSTEM_CLOCK, type Clock, type PaceOptions, type PaceStats } from './simulation/pacer';
export * from './simulation/sim-event';
export type { EventSink } from './sinks/event-sink';
export { MemorySink } from './sinks/memory-sink';
export { NullSink, StdoutSink } from './sinks/stdout-sink';
export { KafkaSink, DEFAULT_STREAM_TOPICS, type KafkaSinkOptions, type StreamTopics } from './sinks/kafka-sink';
export { runSimulator, type RunOptions, type RunReport } from './run/simulator-run';

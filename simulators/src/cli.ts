/**
 * The simulator CLI: runs a scenario's fleet against Kafka (or stdout) in real time. The sensor, audio and image
 * simulators are this one program with `--modalities`; each can run as its own process (or container) and they
 * agree on devices, operating states and faults because everything derives from the scenario's seed.
 *
 *   npm run sim -- simulators/scenarios/demo.yaml                       # all modalities + labels, real time
 *   npm run sim:sensor -- simulators/scenarios/demo.yaml                # sensor readings + ground-truth labels
 *   npm run sim:audio -- simulators/scenarios/demo.yaml                 # audio chunks only
 *   npm run sim -- demo.yaml --sink stdout --speed max --duration 5     # look at the events, no broker
 *
 * Options: --modalities sensor,audio,image   --labels / --no-labels (default: on when sensor is simulated)
 *          --sink kafka|stdout|null   --speed <factor>|max   --duration <s>, --seed <n> (override the scenario)
 * Environment: VIGIL_KAFKA_BROKERS, VIGIL_SCHEMA_REGISTRY_URL, VIGIL_DATA_DIR, VIGIL_SIM_CLIENT_ID.
 */
import { createServiceLogger, kafkaLogCreator, routeProcessWarnings } from '@vigil/service/logging';
import pino from 'pino';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { simulatorConfig } from './config/simulator.config';
import { runSimulator } from './run/simulator-run';
import { parseScenario } from './scenario/scenario-parser';
import { MODALITY_STREAMS, type Stream } from './simulation/sim-event';
import type { EventSink } from './sinks/event-sink';
import { KafkaSink } from './sinks/kafka-sink';
import { NullSink, StdoutSink } from './sinks/stdout-sink';

const SCENARIO_DIR = path.resolve(__dirname, '..', 'scenarios');

export function parseCli(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      modalities: { type: 'string', default: MODALITY_STREAMS.join(',') },
      labels: { type: 'boolean' },
      'no-labels': { type: 'boolean' },
      sink: { type: 'string', default: 'kafka' },
      speed: { type: 'string', default: '1' },
      duration: { type: 'string' },
      seed: { type: 'string' },
    },
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: sim <scenario.yaml> [--modalities sensor,audio,image] [--sink kafka|stdout|null] [--speed 1|max] [--duration s]');
  const modalities = values.modalities.split(',').map((m) => m.trim());
  for (const m of modalities) if (!(MODALITY_STREAMS as readonly string[]).includes(m)) throw new Error(`--modalities: unknown "${m}" (sensor, audio, image)`);
  const labels = values['no-labels'] ? false : (values.labels ?? modalities.includes('sensor'));
  const streams = new Set<Stream>([...(modalities as Stream[]), ...(labels ? (['label'] as const) : [])]);
  const speed: number | 'max' = values.speed === 'max' ? 'max' : Number(values.speed);
  if (speed !== 'max' && !(speed > 0)) throw new Error(`--speed: expected a positive number or "max", got "${values.speed}"`);
  if (!['kafka', 'stdout', 'null'].includes(values.sink)) throw new Error(`--sink: expected kafka, stdout or null, got "${values.sink}"`);
  const duration = values.duration === undefined ? undefined : Number(values.duration);
  if (duration !== undefined && !(duration > 0)) throw new Error(`--duration: expected seconds > 0, got "${values.duration}"`);
  const seed = values.seed === undefined ? undefined : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  return { file, streams, speed, sink: values.sink as 'kafka' | 'stdout' | 'null', durationS: duration, seed };
}

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2));
  const config = simulatorConfig();
  const file = [args.file, path.join(SCENARIO_DIR, args.file)].find((f) => {
    try {
      return readFileSync(f) !== undefined;
    } catch {
      return false;
    }
  });
  if (!file) throw new Error(`scenario not found: ${args.file} (also looked in ${SCENARIO_DIR})`);
  const scenario = parseScenario(readFileSync(file, 'utf8'));
  if (args.durationS) scenario.durationMs = args.durationS * 1000;
  if (args.seed !== undefined) scenario.seed = args.seed;
  // One JSON schema with every other process (@vigil/service/logging); on stderr when events go to stdout.
  const logger = createServiceLogger({ service: 'simulator', destination: pino.destination({ fd: args.sink === 'stdout' ? 2 : 1, sync: true }) });
  routeProcessWarnings(logger);
  const log = (message: string, fields: Record<string, unknown> = {}) => logger.info({ logger: 'Simulator', ...fields }, message);

  const sink: EventSink =
    args.sink === 'kafka'
      ? await KafkaSink.connect({
          brokers: config.kafkaBrokers,
          registryUrl: config.registryUrl,
          clientId: `${config.clientId}-${[...args.streams].join('-')}`,
          logCreator: kafkaLogCreator(logger),
        })
      : args.sink === 'stdout'
        ? new StdoutSink(process.stdout)
        : new NullSink();
  const abort = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => abort.abort());
  log('starting', { scenario: scenario.name, streams: [...args.streams], speed: args.speed, sink: args.sink, durationS: scenario.durationMs / 1000 });
  try {
    const report = await runSimulator({
      scenario,
      streams: args.streams,
      sink,
      speed: args.speed,
      dataDir: config.dataDir,
      signal: abort.signal,
      onProgress: (sent, lagMs) => log('progress', { sent, lagMs: Math.round(lagMs) }),
    });
    log(report.pace.aborted ? 'stopped' : 'finished', { ...report, ...(sink instanceof KafkaSink ? { bytes: sink.stats } : {}) });
  } finally {
    await sink.close(); // flushes the producer on SIGTERM too
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

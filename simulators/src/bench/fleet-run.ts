/**
 * The issue #4 load run: a scenario (default `fleet-50.yaml`: 50 devices × 10 Hz sensors + 1 audio chunk/s +
 * 1 image/5 s) for its duration, in real time, against the real broker and registry; prints the sustained publish
 * rate (events/s and MB/s per stream, Avro-encoded bytes) and the simulator process's CPU use.
 *
 *   npm run sim:fleet-run                                   # fleet-50.yaml, 60 s, Kafka from VIGIL_KAFKA_BROKERS
 *   npm run sim:fleet-run -- demo.yaml --duration 20
 *   npm run sim:fleet-run -- fleet-50.yaml --sink null      # generator + pacing alone, no broker
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { simulatorConfig } from '../config/simulator.config';
import { runSimulator } from '../run/simulator-run';
import { parseScenario } from '../scenario/scenario-parser';
import { STREAMS } from '../simulation/sim-event';
import type { EventSink } from '../sinks/event-sink';
import { KafkaSink } from '../sinks/kafka-sink';
import { NullSink } from '../sinks/stdout-sink';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { sink: { type: 'string', default: 'kafka' }, duration: { type: 'string' }, speed: { type: 'string', default: '1' } },
  });
  const file = path.resolve(__dirname, '..', '..', 'scenarios', positionals[0] ?? 'fleet-50.yaml');
  const scenario = parseScenario(readFileSync(file, 'utf8'));
  if (values.duration) scenario.durationMs = Number(values.duration) * 1000;
  const config = simulatorConfig();
  const sink: EventSink =
    values.sink === 'kafka'
      ? await KafkaSink.connect({ brokers: config.kafkaBrokers, registryUrl: config.registryUrl, clientId: 'vigil-sim-fleet-run' })
      : new NullSink();
  const speed = values.speed === 'max' ? 'max' : Number(values.speed);
  console.log(`fleet run: ${path.basename(file)}, ${scenario.durationMs / 1000} s, speed ${speed}, sink ${values.sink} (${config.kafkaBrokers.join(',')})`);
  const report = await runSimulator({
    scenario,
    streams: new Set(STREAMS),
    sink,
    speed,
    dataDir: config.dataDir,
    progressEveryMs: 10_000,
    onProgress: (sent, lagMs) => console.log(`  … ${sent} events sent, lag ${Math.round(lagMs)} ms`),
  });
  await sink.close();

  // Rates over the scenario's duration: late events trickle in for a few seconds after it, which is delivery
  // disorder, not throughput.
  const seconds = scenario.durationMs / 1000;
  console.log(
    `devices ${report.devices}, faults ${report.faults}, labels ${report.labels}, wall ${(report.pace.wallMs / 1000).toFixed(1)} s (incl. late tail), batches ${report.pace.batches}, max lag ${Math.round(report.pace.maxLagMs)} ms`,
  );
  console.log('stream   events   events/s   MB/s (Avro, before compression)');
  for (const stream of STREAMS) {
    const events = report.pace.perStream[stream];
    const bytes = sink instanceof KafkaSink ? sink.stats[stream].bytes : Number.NaN;
    console.log(
      `${stream.padEnd(8)} ${String(events).padStart(6)} ${(events / seconds).toFixed(1).padStart(10)} ${(bytes / 1e6 / seconds).toFixed(3).padStart(8)}`,
    );
  }
  const totalBytes = sink instanceof KafkaSink ? STREAMS.reduce((sum, s) => sum + sink.stats[s].bytes, 0) : Number.NaN;
  console.log(
    `total    ${String(report.pace.sent).padStart(6)} ${(report.pace.sent / seconds).toFixed(1).padStart(10)} ${(totalBytes / 1e6 / seconds).toFixed(3).padStart(8)}`,
  );
  console.log(
    `cpu: user ${(report.cpu.userMs / 1000).toFixed(1)} s + system ${(report.cpu.systemMs / 1000).toFixed(1)} s = ${(report.cpu.coreShare * 100).toFixed(1)} % of one core over the wall time`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

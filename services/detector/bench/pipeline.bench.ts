/**
 * npm run bench:pipeline — drives the whole live path on this machine: a load generator producing Avro sensor
 * readings in real time (in a worker thread of this process, at nice +10: it stands in for devices elsewhere, and
 * on the 2-core machine it would otherwise take the cores the pipeline needs; load-generator.ts) → Kafka → the
 * detector (its own process, as deployed) → ClickHouse + the results topic, which this process consumes. For each load it prints the sustained input rate (sensor events/s), the
 * scoring rate (windows/s) and the produce→result latency percentiles, and the detector's CPU share.
 *
 * Latency is measured from the broker's append of the event that closes a window (the first event at or past
 * window end + allowed lateness) to the broker's append of its result to the results topic — both topics stamp
 * LogAppendTime, one clock: from the moment the event is on Kafka for every consumer to the moment its result is,
 * the pipeline's own delay, excluding the lateness it waits for on purpose. Beside it the same latency counted from
 * the generator's clock before it encodes and sends a tick's batch, which adds this busy process's own encoding
 * and produce round trip (tens of ms on the 2-core machine, where it shares the cores with what it measures). The
 * same definition holds with sound and images (BENCH_MODALITIES=all): their events for a window are sent before its closing sensor event
 * (a chunk or frame is stamped and sent at its start, so the last one inside a window is sent ≥ lateness
 * before it closes), so the sensor closer is the last event the window waits for, and whatever comes after it
 * — alignment, the fetch cycle, scoring, publishing — is the pipeline's. It also prints the detector's
 * event-loop delay over the load (what blocks every stage at once: model calls on the main thread, SHAP), and
 * its CPU by thread (the main thread is the event loop's load; then the ONNX session worker thread where the models
 * run, the log-mel worker thread, V8's GC and compiler), which a busy shared machine distorts less than the latencies.
 *
 *   npm run bench:pipeline                           # default loads
 *   BENCH_LOADS=200x50,200x100 BENCH_SECONDS=20 npm run bench:pipeline   # devices x Hz
 *   BENCH_DETECTOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:pipeline   # profile the detector
 *   BENCH_WINDOW_PHASE=aligned npm run bench:pipeline   # every device on the epoch grid (default: staggered)
 *   BENCH_INPUTS=constant npm run bench:pipeline   # flat readings, silence, grey frames: every window flagged
 *                                                 # (default: the simulators' normal pumps; see load-generator.ts)
 *   BENCH_MODALITIES=all npm run bench:pipeline   # also 1 s of sound per second and an image per 5 s per device,
 *                                                 # scored by the fused model too; each load first runs
 *                                                 # sensor-only (no fused model) for comparison, in the same run
 * Needs the local stack (`npm run infra -- up`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { type AnomalyResult, TOPICS, withSuffix } from '@vigil/contracts';
import { localEndpoints } from '@vigil/infra';
import { ONNX_SESSION_THREAD_NAME } from '@vigil/ml';
import { AvroSerde, createKafka, ensureTopics } from '@vigil/kafka';
import { loadConfig, processEnv } from '@vigil/config';
import { z } from 'zod';
import { type Kafka, logLevel } from 'kafkajs';
import type { LoadPlan, LoadReport } from './load-generator';

const ROOT = resolve(__dirname, '..', '..', '..');
const LATENESS_MS = 500;
const WINDOW_MS = 3000;
const HOP_MS = 1000;
/** Figures count from here: the first window plus the 5 s a device waits for an expected modality it has not seen. */
const WARMUP_MS = WINDOW_MS + LATENESS_MS + 5000;
/** The bench's options, through the one config loader (see the README for what each does). */
const BENCH = loadConfig(
  z.object({
    BENCH_WINDOW_PHASE: z.enum(['staggered', 'aligned']).default('staggered'),
    BENCH_MODALITIES: z.enum(['sensor', 'all']).default('sensor'),
    BENCH_INPUTS: z.enum(['simulated', 'constant']).default('simulated'),
    BENCH_DETECTOR_NODE_ARGS: z.string().default(''),
    BENCH_LOADS: z
      .string()
      .regex(/^\d+x\d+(,\d+x\d+)*$/, 'devices x Hz, comma-separated')
      .default('100x10,200x10,200x50,200x100,400x100'),
    BENCH_SECONDS: z.coerce.number().positive().default(30),
  }),
  processEnv(),
  'bench:pipeline',
);
const WINDOW_PHASE = BENCH.BENCH_WINDOW_PHASE;
/** `all`: each device also sends 1 s of 16 kHz sound every second (the multimodal model's rate) and a 32×32 thermal frame every 5 s. */
const MULTIMODAL = BENCH.BENCH_MODALITIES === 'all';
type Modalities = 'sensor' | 'all';

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : Number.NaN;
}

/** CPU of the whole process (every thread), in clock ticks (100/s). */
function cpuTicks(pid: number): number {
  return ticksOf(`/proc/${pid}/stat`);
}

function ticksOf(statFile: string): number {
  const f = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime
}

/**
 * CPU ticks per kind of thread: the main thread (the event loop), the ONNX session worker (the models' forward passes,
 * DETECTOR_ONNX_SESSION_HOST=worker), the log-mel worker (any other unnamed worker thread counts with it), libuv's
 * pool, V8's own (GC, compiler), the rest (ONNX Runtime's intra-op threads, where a session asks for more than one).
 * A thread that ended is left out.
 */
function threadTicks(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const kind =
        tid === String(pid)
          ? 'main'
          : comm === ONNX_SESSION_THREAD_NAME
            ? 'onnx worker'
            : comm === 'WorkerThread'
              ? 'log-mel worker'
              : comm === 'libuv-worker'
                ? 'libuv pool'
                : comm === 'V8Worker'
                  ? 'V8'
                  : 'other';
      out.set(kind, (out.get(kind) ?? 0) + ticksOf(`/proc/${pid}/task/${tid}/stat`));
    } catch {
      // the thread ended between listing and reading: its time is not counted
    }
  }
  return out;
}

async function waitReady(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error('detector exited during start-up');
    if (
      await fetch(`http://127.0.0.1:${port}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false)
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('detector not ready after 120 s');
}

/** Results per second between `fromMs` (past the first full window) and `toMs` (the end of the load). */
function steadyRate(times: number[], fromMs: number, toMs: number): number {
  return times.filter((t) => t >= fromMs && t < toMs).length / ((toMs - fromMs) / 1000);
}

/**
 * Mean ms per window per stage from the detector's `vigil_detector_stage_seconds` histogram (where latency goes),
 * and per modality: frame building per window on the event loop (`frame_<MODALITY>`; before it, for the fused
 * model, each window's wait for its log-mel frames from the worker thread, `prepare_<MODALITY>`) and model time per call
 * (`vigil_detector_scoring_seconds`, from the call to its result back on the event loop).
 */
async function stageBreakdown(port: number): Promise<string[]> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
  const histogram = (name: string, label: string) => {
    const sums = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const m of text.matchAll(new RegExp(`^${name}_(sum|count)\\{${label}="(\\w+)"\\} ([\\d.e+-]+)$`, 'gm'))) {
      (m[1] === 'sum' ? sums : counts).set(m[2]!, Number(m[3]));
    }
    return { sums, counts, mean: (key: string) => (counts.get(key) ? (1000 * sums.get(key)!) / counts.get(key)! : Number.NaN) };
  };
  const stages = histogram('vigil_detector_stage_seconds', 'stage');
  const model = histogram('vigil_detector_scoring_seconds', 'modality');
  const f = (ms: number, digits = 0) => (Number.isFinite(ms) ? ms.toFixed(digits) : '-');
  // prom-client's default metrics (perf_hooks.monitorEventLoopDelay, 10 ms resolution), since the last scrape:
  // the whole load. Time the loop spends blocked (decoding, tfjs calls, SHAP) is waiting for every stage.
  const gauge = (name: string) => Number(new RegExp(`^\\w*${name} ([\\d.e+-]+)$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1000;
  const loop = ['p50', 'p99', 'max'].map((q) => `${q} ${f(gauge(`nodejs_eventloop_lag_${q === 'max' ? 'max' : q}_seconds`), 1)}`).join(' / ');
  const lines = [
    `mean ms per stage: ${['consume', 'score', 'publish', 'durable'].map((stage) => `${stage} ${f(stages.mean(stage))}`).join(' / ')}`,
    `event-loop delay ms: ${loop}`,
  ];
  for (const modality of model.counts.keys()) {
    const calls = model.counts.get(modality)!;
    const framed = stages.counts.get(`frame_${modality}`) ?? 0;
    // A scorer that prepares frames off the event loop (the fused model's log-mel frames in a worker thread): the wait for it.
    const prepared = stages.counts.has(`prepare_${modality}`) ? ` after waiting ${f(stages.mean(`prepare_${modality}`), 2)} ms for its worker thread` : '';
    lines.push(
      `${modality.padEnd(7)} frame ${f(stages.mean(`frame_${modality}`), 2)} ms/window${prepared}; model ${calls} calls, ${f(model.mean(modality), 2)} ms each, ${f(framed / calls, 1)} windows each`,
    );
  }
  return lines;
}

async function runLoad(devices: number, hz: number, seconds: number, modalities: Modalities): Promise<void> {
  const multimodal = modalities === 'all';
  const { kafkaBrokers, registryUrl, clickhouseUrl } = localEndpoints();
  const suffix = `.bench-${Date.now()}`;
  const sensor = withSuffix(TOPICS.sensorReadings, suffix);
  const audio = withSuffix(TOPICS.audioChunks, suffix);
  const image = withSuffix(TOPICS.imageFrames, suffix);
  const results = withSuffix(TOPICS.anomalyResults, suffix);
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'bench-load', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  // The results topic stamps each message with the broker's append time: latency is measured to the moment a
  // result is on Kafka for every consumer, not to when this (busy) load-generating process gets round to it.
  await admin.createTopics({
    waitForLeaders: true,
    topics: [results, sensor].map((t) => ({
      topic: t.name,
      numPartitions: t.partitions,
      configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }],
    })),
  });
  await ensureTopics(admin, [sensor, audio, image, results]);
  await admin.disconnect();
  const serde = AvroSerde.forUrl(registryUrl);
  await serde.registerAll([sensor, audio, image, results]);

  const database = `bench_${Date.now()}`;
  const port = 19_500 + Math.floor(Math.random() * 400);
  // e.g. BENCH_DETECTOR_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the detector under load.
  const nodeArgs = BENCH.BENCH_DETECTOR_NODE_ARGS.split(' ').filter(Boolean);
  const detector = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'services/detector/src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...processEnv(),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      VIGIL_CLICKHOUSE_URL: clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: database,
      DETECTOR_TOPIC_SUFFIX: suffix,
      DETECTOR_GROUP_ID: `bench${suffix}`,
      DETECTOR_ALLOWED_LATENESS_MS: String(LATENESS_MS),
      DETECTOR_WINDOW_MS: String(WINDOW_MS),
      DETECTOR_HOP_MS: String(HOP_MS),
      DETECTOR_WINDOW_PHASE: WINDOW_PHASE,
      DETECTOR_EXPECTED_MODALITIES: multimodal ? 'SENSOR,AUDIO,IMAGE' : 'SENSOR',
      // Sensor-only is the sensor VAE alone; `all` adds the fused model over the three modalities and the IMAGE scorer.
      ...(multimodal ? {} : { DETECTOR_MULTIMODAL_MODEL_DIR: 'none', DETECTOR_IMAGE_MODEL_DIR: 'none' }),
      DETECTOR_HTTP_PORT: String(port),
      DETECTOR_ROOT_CAUSE_PER_BATCH: '4',
    },
  });
  try {
    await waitReady(port, detector);
    // Joined with the load's closing events once it is over: when each window's result could first be produced.
    const resultsRead = new Array<{ key: string; appendedAt: number; flagged: boolean; by: string[] }>();
    const consumer = kafka.consumer({ groupId: `bench-results${suffix}`, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic: results.name, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const r = (await serde.decode(results, m.value)) as AnomalyResult;
          resultsRead.push({
            key: `${r.deviceId}@${r.windowEndMs}`,
            appendedAt: Number(m.timestamp),
            flagged: r.isAnomaly,
            by: [...r.modalities.filter((s) => s.isAnomaly).map((s) => s.modality), ...(r.missingModalities.length > 0 ? ['missing'] : [])],
          });
        }
      },
    });

    await fetch(`http://127.0.0.1:${port}/metrics`); // a scrape resets the event-loop delay histogram: the figures cover the load only
    const cpu0 = cpuTicks(detector.pid!);
    const threads0 = threadTicks(detector.pid!);
    const ownCpu0 = process.cpuUsage();
    const load = await generateInThread({
      devices,
      hz,
      seconds,
      multimodal,
      suffix,
      brokers: kafkaBrokers,
      registryUrl,
      windowPhase: WINDOW_PHASE,
      latenessMs: LATENESS_MS,
      hopMs: HOP_MS,
      inputs: BENCH.BENCH_INPUTS,
    });
    const t0 = load.startedAt;
    const elapsed = load.elapsedS;
    const closers = new Map(load.closerKeys.map((key, i) => [key, { sentAt: load.closerSentAt[i]!, appendedAt: load.closerAppendedAt[i]! }]));
    const ownCpu = process.cpuUsage(ownCpu0); // the whole bench process, the generator's thread included
    const cpu1 = cpuTicks(detector.pid!);
    const threads1 = threadTicks(detector.pid!);
    const share = (ticks: number) => `${((ticks / 100 / elapsed) * 100).toFixed(0)}%`;
    const byThread = [...threads1].map(([kind, ticks]) => `${kind} ${share(ticks - (threads0.get(kind) ?? 0))}`).join(' / ');
    await new Promise((r) => setTimeout(r, 3000)); // let the last windows drain
    const stages = await stageBreakdown(port);
    await consumer.disconnect();
    // Steady state only: the first windows of each device wait for the expected modalities to show up (up to
    // the 5 s modality idle allowance), which is start-up, not throughput.
    const steadyResults = resultsRead.filter((r) => r.appendedAt >= t0 + WARMUP_MS);
    const latency = (from: 'appendedAt' | 'sentAt') =>
      steadyResults
        .flatMap((r) => {
          const start = closers.get(r.key)?.[from];
          return start === undefined || Number.isNaN(start) ? [] : [r.appendedAt - start];
        })
        .sort((a, b) => a - b);
    const steady = latency('appendedAt');
    const fromSend = latency('sentAt');
    if (steady.length < fromSend.length)
      throw new Error(`${fromSend.length - steady.length} closing events have no append time: is the sensor topic LogAppendTime?`);
    console.log(
      [
        `${modalities.padEnd(6)} ${String(devices).padStart(6)} × ${String(hz).padStart(3)} Hz`,
        `offered ${Math.round(devices * hz)
          .toLocaleString('en-US')
          .padStart(7)} ev/s`,
        `sent ${Math.round(load.sensorSent / elapsed)
          .toLocaleString('en-US')
          .padStart(7)} ev/s${multimodal ? ` (+${Math.round(load.otherSent / elapsed)} audio/image/s)` : ''}`,
        `windows ${Math.round(
          steadyRate(
            resultsRead.map((r) => r.appendedAt),
            t0 + WARMUP_MS,
            t0 + seconds * 1000,
          ),
        )
          .toLocaleString('en-US')
          .padStart(5)}/s`,
        // Flagged windows cost more (root cause, latent ranking, SHAP): the share says how much of that the load had.
        `flagged ${flaggedShare(steadyResults)}`,
        `latency p50 ${percentile(steady, 0.5)} p95 ${percentile(steady, 0.95)} p99 ${percentile(steady, 0.99)} ms`,
        `(from the generator's send call p50 ${percentile(fromSend, 0.5)} p99 ${percentile(fromSend, 0.99)})`,
        `detector CPU ${(((cpu1 - cpu0) / 100 / elapsed) * 100).toFixed(0)}% of a core`,
        // The generator shares the machine: when it cannot keep up, the detector's figures are a busy machine's.
        `generator CPU ${((load.cpuS / elapsed) * 100).toFixed(0)}% (nice +${load.niceness}; the bench process in all ${(((ownCpu.user + ownCpu.system) / 1e6 / elapsed) * 100).toFixed(0)}%)`,
        load.lagWarnings ? `(generator fell behind ${load.lagWarnings}×)` : '',
      ].join('  '),
    );
    for (const line of [`detector CPU by thread, % of a core: ${byThread}`, ...stages]) console.log(`${' '.repeat(23)}${line}`);
  } finally {
    detector.kill('SIGTERM');
    await new Promise((r) => detector.once('exit', r));
    await cleanUp(kafka, suffix, clickhouseUrl, database);
  }
}

/** The share of windows flagged, and of those with each modality over its threshold (or one missing). */
function flaggedShare(results: ReadonlyArray<{ flagged: boolean; by: string[] }>): string {
  const pct = (n: number) => `${((100 * n) / Math.max(1, results.length)).toFixed(0)}%`;
  const by = new Map<string, number>();
  for (const r of results) for (const m of r.by) by.set(m, (by.get(m) ?? 0) + 1);
  const detail = [...by].map(([m, n]) => `${m} ${pct(n)}`).join(', ');
  return `${pct(results.filter((r) => r.flagged).length)}${detail ? ` (${detail})` : ''}`;
}

/** Runs the load in its own worker thread, at a lower priority (see load-generator.ts), and waits for its report. */
function generateInThread(plan: LoadPlan): Promise<LoadReport> {
  const file = join(__dirname, `load-generator.worker${extname(__filename)}`);
  const worker = new Worker(file, { workerData: plan, name: 'load-generator' });
  return new Promise((resolve, reject) => {
    worker.once('message', (report: LoadReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the load generator's thread exited with code ${code} before reporting`)));
  });
}

/**
 * Deletes the load's topics (ours and those the detector created) and its ClickHouse database: hundreds of
 * left-over partitions slow the broker down, and the next load's figures with it.
 */
async function cleanUp(kafka: Kafka, suffix: string, clickhouseUrl: string, database: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.endsWith(suffix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
  await fetch(clickhouseUrl, { method: 'POST', body: `DROP DATABASE IF EXISTS ${database}` });
}

async function main(): Promise<void> {
  const loads = BENCH.BENCH_LOADS.split(',').map((l) => l.split('x').map(Number) as [number, number]);
  const seconds = BENCH.BENCH_SECONDS;
  if (seconds * 1000 < WARMUP_MS + 10_000) throw new Error(`BENCH_SECONDS must leave 10 s after the ${WARMUP_MS / 1000} s warm-up`);
  console.log(
    `pipeline benchmark: ${seconds} s per load, window ${WINDOW_MS} ms / hop ${HOP_MS} ms / lateness ${LATENESS_MS} ms, ${WINDOW_PHASE} grids, ${BENCH.BENCH_INPUTS} inputs, ${MULTIMODAL ? 'sensor only, then sensor + audio + image' : 'sensor only'}, node ${process.version}`,
  );
  for (const [devices, hz] of loads) {
    if (MULTIMODAL) await runLoad(devices, hz, seconds, 'sensor'); // the baseline, in the same run
    await runLoad(devices, hz, seconds, MULTIMODAL ? 'all' : 'sensor');
  }
  console.log(
    `load average (this machine): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} on ${cpus().length} cores`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

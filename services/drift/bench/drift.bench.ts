/**
 * Can the drift logic keep up with the detector's latent stream? Replays a seeded stream of `RATE` latent
 * vectors per second spread over a few model versions (one monitor each, as the drift service keeps them),
 * as fast as it can, and prints the CPU time it took as a share of one core at the live rate, plus the
 * throughput. Includes the window tests (MMD permutation, per-dimension KS + BH, Wasserstein, score KS + PSI)
 * every `hop` vectors, the trigger policy step per report, and the event-time ordering each stream goes through
 * first (batches of `BATCH` from a fleet of `DEVICES`, as Kafka delivers them); excludes Kafka decoding (see
 * `bench:kafka`).
 *
 * Run: npx tsx services/drift/bench/drift.bench.ts [streamSeconds]
 */
import { seededRandom } from '@vigil/features';
import { DEFAULT_REFERENCE_SIZE, DEFAULT_WINDOW_SIZE, EventTimeOrder, LatentWindowMonitor, initialRetrainPolicyState, stepRetrainPolicy } from '@vigil/drift';

const RATE = 400;
const STREAM_SECONDS = Number(process.argv[2] ?? 60);
const MODEL_VERSIONS = ['pump/v3', 'pump/v4', 'compressor/v1'];
const TARGET_CORE_SHARE = 0.25;
const DEVICES = 100;
const BATCH = 200;

function runCase(dim: number): { vectors: number; cpuSeconds: number; reports: number; drifted: number } {
  const random = seededRandom(dim);
  const monitors = MODEL_VERSIONS.map((modelVersion, i) => new LatentWindowMonitor({ modelVersion, dim, latent: { seed: i } }));
  const policies = MODEL_VERSIONS.map(() => initialRetrainPolicyState());
  const total = RATE * STREAM_SECONDS;
  // Draw the stream first so the timing is the drift logic only; the second half is shifted (drift found).
  const stream = Array.from({ length: total }, (_, i) => {
    const shift = i > total / 2 ? 0.4 : 0;
    return {
      deviceId: `pump-${i % DEVICES}`,
      windowStartMs: (i * 1000) / RATE,
      version: i % MODEL_VERSIONS.length,
      mean: Float32Array.from({ length: dim }, () => random.normal(shift, 1)),
      score: Math.abs(random.normal(1 + shift, 0.3)),
      atMs: (i * 1000) / RATE,
    };
  });
  const orders = MODEL_VERSIONS.map(() => new EventTimeOrder<(typeof stream)[number]>({ maxSkewMs: 300_000 }));
  let reports = 0;
  let drifted = 0;
  const start = process.cpuUsage();
  const feed = (item: (typeof stream)[number]) => {
    const report = monitors[item.version]!.push({ mean: item.mean, score: item.score, windowStartMs: item.atMs, windowEndMs: item.atMs + 3_000 });
    if (!report) return;
    reports++;
    if (report.drifted) drifted++;
    const step = stepRetrainPolicy(policies[item.version]!, {
      kind: 'window',
      atMs: item.atMs,
      drifted: report.drifted,
      normalCount: report.current.count - report.current.flagged,
    });
    policies[item.version] = step.state;
  };
  for (let b = 0; b < total; b += BATCH) {
    const batch = stream.slice(b, b + BATCH);
    orders.forEach((order, version) => order.push(batch.filter((item) => item.version === version)).forEach(feed));
  }
  const used = process.cpuUsage(start);
  return { vectors: total, cpuSeconds: (used.user + used.system) / 1e6, reports, drifted };
}

console.log(
  `drift bench: ${RATE} latent vectors/s over ${MODEL_VERSIONS.length} model versions, ${STREAM_SECONDS} s of stream, reference ${DEFAULT_REFERENCE_SIZE}, window ${DEFAULT_WINDOW_SIZE} (tumbling)`,
);
console.log('dim  vectors  windows tested (drifted)  cpu s  throughput (vectors/cpu-s)  share of a core at 400/s  target < 25 %');
let allPass = true;
for (const dim of [8, 16]) {
  runCase(dim); // warm-up (JIT)
  const { vectors, cpuSeconds, reports, drifted } = runCase(dim);
  const share = cpuSeconds / STREAM_SECONDS;
  allPass &&= share < TARGET_CORE_SHARE;
  console.log(
    `${String(dim).padStart(3)}  ${String(vectors).padStart(7)}  ${String(reports).padStart(14)} (${String(drifted).padStart(3)})  ${cpuSeconds.toFixed(2).padStart(5)}  ${Math.round(
      vectors / cpuSeconds,
    )
      .toString()
      .padStart(26)}  ${(100 * share).toFixed(1).padStart(23)} %  ${share < TARGET_CORE_SHARE ? 'ok' : 'MISSED'}`,
  );
}
process.exitCode = allPass ? 0 : 1;

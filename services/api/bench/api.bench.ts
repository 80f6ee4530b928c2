/**
 * `npm run bench:api`: the API (a second process on loopback) under autocannon: p50/p95/p99 latency and
 * requests/s for the time-series prediction, the image prediction (the registry's thermal-conv-vae), and the
 * anomalies query over ≥ 1 M rows in ClickHouse (seeded once into `vigil_bench_api`, server-side).
 *
 * The time-series prediction runs twice: flat out (closed loop: each connection sends its next request when the
 * last one is answered, so latency ≈ connections ÷ throughput), and at a fixed offered rate (BENCH_RATE, the
 * goal's 1,000 req/s), where latency is what a client sees at that load. The load average is printed with the
 * figures: on a shared machine they are only comparable with others taken at the same load.
 *
 *   npm run bench:api                    # env: BENCH_DURATION_S (10), BENCH_CONNECTIONS (16), BENCH_ROWS (1000000),
 *                                        #      BENCH_RATE (1000), BENCH_ONLY=timeseries (skip image + anomalies)
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { processEnv } from '@vigil/config';
import autocannon from 'autocannon';
import sharp from 'sharp';
import { BENCH_KEY, percentile, ROOT, startApiProcess } from './bench-support';

const env = processEnv();
const DURATION_S = Number(env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 16);
const ROWS = Number(env.BENCH_ROWS ?? 1_000_000);
const RATE = Number(env.BENCH_RATE ?? 1000);
const ONLY_TIMESERIES = env.BENCH_ONLY === 'timeseries';
const DATABASE = 'vigil_bench_api';
const CLICKHOUSE_URL = env.VIGIL_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
const DEVICES = 1000;
const T0 = Date.UTC(2026, 0, 1);

/** ≥ 1 M results for 1,000 devices, one window a second each, 2 % anomalous; generated inside ClickHouse. */
async function seed(): Promise<number> {
  const ch = createClient({ url: CLICKHOUSE_URL, request_timeout: 600_000 });
  try {
    const [{ n }] = (await (await ch.query({ query: `SELECT count() AS n FROM ${DATABASE}.anomaly_results`, format: 'JSONEachRow' })).json()) as [
      { n: string },
    ];
    if (Number(n) >= ROWS) return Number(n);
    await ch.command({
      query:
        `INSERT INTO ${DATABASE}.anomaly_results (device_id, window_start_ms, window_end_ms, model_version, modalities, modality_scores, modality_thresholds, missing_modalities, fused_score, fused_threshold, is_anomaly, root_cause_summary, root_cause_json, processed_at_ms)` +
        ` SELECT concat('dev-', toString(number % ${DEVICES})), ${T0} + intDiv(number, ${DEVICES}) * 1000, ${T0} + intDiv(number, ${DEVICES}) * 1000 + 3000, 'pump-synthetic@v1',` +
        ` ['SENSOR'], [s], [2.0], ['AUDIO','IMAGE'], s, 2.0, s > 2.0, if(s > 2.0, 'vibration_rms carries most of the error', ''), '', ${T0} + intDiv(number, ${DEVICES}) * 1000 + 3100` +
        ` FROM (SELECT number, if(number % 50 = 0, 3.0 + (number % 7), (number % 97) / 97.0) AS s FROM system.numbers LIMIT ${ROWS})`,
    });
    await ch.command({ query: `OPTIMIZE TABLE ${DATABASE}.anomaly_results FINAL` }).catch(() => undefined);
    return ROWS;
  } finally {
    await ch.close();
  }
}

interface Figures {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
  /** API process CPU per answered request (ms): the cost, less sensitive than latency to a busy machine. */
  cpuMsPerRequest: number;
  non2xx: number;
}

/** autocannon reports no p95, so every response time is recorded and the percentiles computed exactly. */
/** The API process's CPU seconds so far; set once the API runs. */
let serverCpu: () => Promise<number> = async () => Number.NaN;

async function load(name: string, opts: autocannon.Options): Promise<Figures> {
  const times: number[] = [];
  const cpu0 = await serverCpu();
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { connections: CONNECTIONS, duration: DURATION_S, ...opts, headers: { 'x-api-key': BENCH_KEY, 'content-type': 'application/json', ...opts.headers } },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
  times.sort((a, b) => a - b);
  return {
    name,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: r.requests.average,
    errors: r.errors,
    non2xx: r.non2xx,
    cpuMsPerRequest: (1000 * ((await serverCpu()) - cpu0)) / Math.max(1, r.requests.total),
  };
}

async function main(): Promise<void> {
  const port = 18_700 + Math.floor(Math.random() * 200);
  const api = await startApiProcess({ VIGIL_CLICKHOUSE_DATABASE: DATABASE, API_TOPIC_SUFFIX: '.bench-api' }, port);
  serverCpu = () => api.cpuSeconds();
  try {
    const rows = ONLY_TIMESERIES ? 0 : await seed();
    const manifest = JSON.parse(readFileSync(join(ROOT, 'models', 'sensor', 'pump-synthetic', 'v1', 'model.json'), 'utf8')) as {
      config: { steps: number; channels: number };
    };
    const { steps, channels } = manifest.config;
    const window = Array.from({ length: steps }, (_, s) => Array.from({ length: channels }, (_, c) => Math.sin(s / 5 + c)));
    const figures: Figures[] = [];
    const timeseries = { url: `${api.url}/v1/predictions/timeseries`, method: 'POST' as const, body: JSON.stringify({ window }) };
    await load('warm-up', { ...timeseries, duration: 2 });
    figures.push(await load('POST /v1/predictions/timeseries (flat out)', timeseries));
    figures.push(await load(`POST /v1/predictions/timeseries @ ${RATE.toLocaleString('en')} req/s`, { ...timeseries, overallRate: RATE }));
    if (!ONLY_TIMESERIES) await otherRoutes(api.url, rows, figures);
    print(figures, api.child.pid);
  } finally {
    await api.stop();
  }
}

/** The image prediction and the anomalies query over the seeded rows. */
async function otherRoutes(url: string, rows: number, figures: Figures[]): Promise<void> {
  const frame = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 90, g: 90, b: 90 } } })
    .png()
    .toBuffer();
  figures.push(
    await load('POST /v1/predictions/image (64×64 PNG)', {
      url: `${url}/v1/predictions/image`,
      method: 'POST',
      body: JSON.stringify({ image: frame.toString('base64') }),
    }),
  );
  figures.push(await load(`GET /v1/anomalies (fleet, ${rows.toLocaleString('en')} rows)`, { url: `${url}/v1/anomalies?limit=50` }));
  figures.push(await load('GET /v1/anomalies?deviceId (one device)', { url: `${url}/v1/anomalies?deviceId=dev-7&verdict=all&limit=50` }));
  figures.push(
    await load('GET /v1/anomalies (time range + score)', { url: `${url}/v1/anomalies?from=${T0 + 600_000}&to=${T0 + 900_000}&minScore=5&limit=50` }),
  );
}

function print(figures: Figures[], pid: number | undefined): void {
  console.log(
    `\nbench:api — ${CONNECTIONS} connections, ${DURATION_S} s each, API pid ${pid} on loopback; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    'route'.padEnd(48),
    'p50 ms'.padStart(8),
    'p95 ms'.padStart(8),
    'p99 ms'.padStart(8),
    'req/s'.padStart(9),
    'non-2xx'.padStart(8),
    'CPU ms/req'.padStart(11),
  );
  for (const f of figures) {
    console.log(
      f.name.padEnd(48),
      f.p50.toFixed(1).padStart(8),
      f.p95.toFixed(1).padStart(8),
      f.p99.toFixed(1).padStart(8),
      f.rps.toFixed(0).padStart(9),
      String(f.non2xx + f.errors).padStart(8),
      f.cpuMsPerRequest.toFixed(3).padStart(11),
    );
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * Fuzzes the API from its own OpenAPI document with schemathesis (PyPI, venv from python-venv.sh): the API runs
 * as a second process on the real stack (database `vigil_fuzz_api`); every generated request must get no 5xx
 * (`not_a_server_error`) and a response that matches the documented schema (`response_schema_conformance`,
 * `status_code_conformance`, …: `--checks all` but positive_data_acceptance, see below). Exits non-zero on any failure.
 *
 *   npx tsx services/api/scripts/fuzz.ts            # env: FUZZ_MAX_EXAMPLES (50), FUZZ_INCLUDE_PATH (a path regex: only those routes)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { processEnv } from '@vigil/config';
import { seededRandom } from '@vigil/features';
import { BENCH_KEY, ROOT, startApiProcess } from '../bench/bench-support';

const DATABASE = 'vigil_fuzz_api';

/**
 * The drift reference the documented /v1/drift/check example names (SENSOR, pump-synthetic@v1, 2 dimensions), so
 * the example reaches the test itself and its answer is checked against the schema, not only the 404.
 */
async function seedDriftReference(url: string): Promise<void> {
  const random = seededRandom(3);
  const count = 60;
  const reference = {
    modelVersion: 'pump-synthetic@v1',
    dim: 2,
    count,
    means: Array.from({ length: 2 * count }, () => random.normal(0, 0.5)),
    scores: Array.from({ length: count }, () => 1 + random.uniform()),
    startMs: 0,
    endMs: 60_000,
  };
  const ch = createClient({ url });
  try {
    await ch.insert({
      table: `${DATABASE}.drift_references`,
      format: 'JSONEachRow',
      values: [{ modality: 'SENSOR', model_version: reference.modelVersion, created_at_ms: Date.now(), reference_json: JSON.stringify(reference) }],
    });
  } finally {
    await ch.close();
  }
}

async function main(): Promise<number> {
  const env = processEnv();
  const only = env.FUZZ_INCLUDE_PATH ? ['--include-path-regex', env.FUZZ_INCLUDE_PATH] : [];
  const python = execFileSync('bash', [join(ROOT, 'services/api/scripts/python-venv.sh')], { encoding: 'utf8' }).trim();
  const schemathesis = join(python, '..', 'schemathesis');
  const api = await startApiProcess({ VIGIL_CLICKHOUSE_DATABASE: DATABASE, API_TOPIC_SUFFIX: '.fuzz-api' }, 18_600 + Math.floor(Math.random() * 90));
  try {
    await seedDriftReference(env.VIGIL_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123');
    const run = spawnSync(
      schemathesis,
      [
        'run',
        `${api.url}/docs/openapi.json`,
        '--url',
        api.url,
        '--header',
        `x-api-key: ${BENCH_KEY}`,
        '--checks',
        'all',
        // Cross-field rules (from < to, rangeEndMs > rangeStartMs, a cursor this API issued) have no OpenAPI
        // form, so schema-valid requests that break them are rightly refused with a 400.
        '--exclude-checks',
        'positive_data_acceptance',
        '--max-examples',
        env.FUZZ_MAX_EXAMPLES ?? '50',
        ...only,
        '--generation-deterministic',
        '--suppress-health-check',
        'all',
      ],
      { stdio: 'inherit', cwd: ROOT },
    );
    return run.status ?? 1;
  } finally {
    await api.stop();
  }
}

void main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);

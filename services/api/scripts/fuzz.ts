/**
 * Fuzzes the API from its own OpenAPI document with schemathesis (PyPI, venv from python-venv.sh): the API runs
 * as a second process on the real stack (database `vigil_fuzz_api`); every generated request must get no 5xx
 * (`not_a_server_error`) and a response that matches the documented schema (`response_schema_conformance`,
 * `status_code_conformance`, …: `--checks all` but positive_data_acceptance, see below). Exits non-zero on any failure.
 *
 *   npx tsx services/api/scripts/fuzz.ts            # env: FUZZ_MAX_EXAMPLES (50)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { processEnv } from '@vigil/config';
import { BENCH_KEY, ROOT, startApiProcess } from '../bench/bench-support';

async function main(): Promise<number> {
  const python = execFileSync('bash', [join(ROOT, 'services/api/scripts/python-venv.sh')], { encoding: 'utf8' }).trim();
  const schemathesis = join(python, '..', 'schemathesis');
  const api = await startApiProcess({ VIGIL_CLICKHOUSE_DATABASE: 'vigil_fuzz_api', API_TOPIC_SUFFIX: '.fuzz-api' }, 18_600 + Math.floor(Math.random() * 90));
  try {
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
        processEnv().FUZZ_MAX_EXAMPLES ?? '50',
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

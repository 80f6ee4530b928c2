/**
 * Creates (migrates) the ClickHouse databases the fuzz run and the benchmarks use, ahead of time: they are kept
 * between runs, so the 1 M-row seed is paid once.
 *
 *   npx tsx services/api/scripts/prepare-databases.ts
 */
import { createClickhouse } from '@vigil/clickhouse';
import { processEnv } from '@vigil/config';

async function main(): Promise<void> {
  const url = processEnv().VIGIL_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123';
  for (const database of ['vigil_fuzz_api', 'vigil_bench_api', 'vigil_bench_live']) {
    const ch = await createClickhouse(
      { VIGIL_CLICKHOUSE_URL: url, VIGIL_CLICKHOUSE_DATABASE: database, VIGIL_CLICKHOUSE_USERNAME: 'default', VIGIL_CLICKHOUSE_PASSWORD: '' },
      { migrate: true },
    );
    await ch.close();
    console.log(`migrated ${database}`);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * The ClickHouse client of a process, from the validated config fragment (`VIGIL_CLICKHOUSE_*`), optionally
 * migrated and logging through the process's logger (`clickhouseLoggerClass` from `@vigil/service`).
 */
import { type ClickHouseClient, createClient } from '@clickhouse/client';
import type { ClickhouseConfig } from '@vigil/config';
import { migrate } from './migrations';

type LoggerClass = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['log']>['LoggerClass'];

export interface ClickhouseClientOptions {
  LoggerClass?: LoggerClass;
  requestTimeoutMs?: number;
  /** Apply the migrations in `schemas/clickhouse` to `VIGIL_CLICKHOUSE_DATABASE` before returning. */
  migrate?: boolean;
}

export async function createClickhouse(cfg: ClickhouseConfig, opts: ClickhouseClientOptions = {}): Promise<ClickHouseClient> {
  const client = createClient({
    url: cfg.VIGIL_CLICKHOUSE_URL,
    username: cfg.VIGIL_CLICKHOUSE_USERNAME,
    password: cfg.VIGIL_CLICKHOUSE_PASSWORD,
    request_timeout: opts.requestTimeoutMs ?? 30_000,
    ...(opts.LoggerClass ? { log: { LoggerClass: opts.LoggerClass } } : {}),
  });
  if (opts.migrate) await migrate(client, { database: cfg.VIGIL_CLICKHOUSE_DATABASE });
  return client;
}

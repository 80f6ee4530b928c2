/**
 * Applies `schemas/clickhouse/NNN_name.sql` in order, once each, recording them in `<db>.schema_migrations`.
 * Statements use `{db}` for the database so tests can migrate a throw-away database. Idempotent: each
 * statement is `IF NOT EXISTS`, so a crash between applying and recording is harmless.
 *
 * @example
 *   await migrate(createClient({ url }), { database: 'vigil' });
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';

export const MIGRATIONS_DIR = resolve(__dirname, '..', '..', '..', 'schemas', 'clickhouse');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.replace(/\.sql$/, ''), sql: readFileSync(join(dir, f), 'utf8') }));
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export async function migrate(client: ClickHouseClient, opts: { database: string; dir?: string }): Promise<string[]> {
  const db = opts.database;
  if (!IDENTIFIER.test(db)) throw new Error(`invalid ClickHouse database name "${db}"`);
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, applied_at DateTime) ENGINE = MergeTree() ORDER BY version`,
  });
  const rs = await client.query({ query: `SELECT version FROM ${db}.schema_migrations`, format: 'JSONEachRow' });
  const applied = new Set(((await rs.json()) as Array<{ version: number }>).map((r) => Number(r.version)));
  const done: string[] = [];
  for (const m of loadMigrations(opts.dir)) {
    if (applied.has(m.version)) continue;
    for (const statement of splitStatements(m.sql.replaceAll('{db}', db))) await client.command({ query: statement });
    await client.insert({
      table: `${db}.schema_migrations`,
      format: 'JSONEachRow',
      values: [{ version: m.version, name: m.name, applied_at: Math.floor(Date.now() / 1000) }],
    });
    done.push(m.name);
  }
  return done;
}

/** Split on semicolons at line ends, dropping comment-only chunks (ClickHouse runs one statement per request). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

/**
 * The detector as a child process for cross-service tests: `node --import tsx services/detector/src/main.ts`
 * against the test stack, on topics with the test's suffix and a database of its own, its JSON log lines
 * prefixed with its pid.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { processEnv } from '@vigil/config';
import type { StackEndpoints } from '@vigil/infra';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export interface DetectorProcessOptions {
  stack: StackEndpoints;
  database: string;
  suffix: string;
  port: number;
  /** More DETECTOR_* settings (strings, as in the environment). */
  env?: Record<string, string>;
  /** Do not echo the detector's log lines (scripts that print a report). */
  quiet?: boolean;
}

export function spawnDetector(opts: DetectorProcessOptions): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/detector/src/main.ts'], {
    cwd: REPO_ROOT,
    env: {
      ...processEnv(),
      VIGIL_KAFKA_BROKERS: opts.stack.kafkaBrokers.join(','),
      VIGIL_SCHEMA_REGISTRY_URL: opts.stack.registryUrl,
      VIGIL_CLICKHOUSE_URL: opts.stack.clickhouseUrl,
      VIGIL_CLICKHOUSE_DATABASE: opts.database,
      DETECTOR_TOPIC_SUFFIX: opts.suffix,
      DETECTOR_GROUP_ID: `detector${opts.suffix}`,
      DETECTOR_FROM_BEGINNING: 'true',
      DETECTOR_HTTP_HOST: '127.0.0.1',
      DETECTOR_HTTP_PORT: String(opts.port),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[detector] ${d}`));
  child.stdout?.on('data', (d: Buffer) => {
    if (!opts.quiet) process.stdout.write(`[detector:${child.pid}] ${d}`);
  });
  return child;
}

/** Polls `probe` (sync or async; a throw counts as not yet) until it gives a value, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await (async () => probe())().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function detectorReady(port: number): Promise<true | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
  return res.ok ? true : undefined;
}

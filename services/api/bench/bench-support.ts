/**
 * What the API benchmarks share: the API started as a second process on loopback (so the load generator and the
 * server do not share an event loop), a bench key, and the server's CPU from its own /metrics.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { processEnv } from '@vigil/config';
import { hashApiKey } from '../src/security/authenticator';

export const ROOT = resolve(__dirname, '..', '..', '..');
export const BENCH_KEY = 'bench-admin-key-0123456789abcdef0123';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Server CPU seconds so far (process_cpu_seconds_total of its /metrics). */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

export async function startApiProcess(env: Record<string, string>, port: number): Promise<ApiProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/api/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...processEnv(),
      API_HTTP_HOST: '127.0.0.1',
      API_HTTP_PORT: String(port),
      // One key with a limit far above any benchmark rate.
      API_KEYS: `bench:admin:${hashApiKey(BENCH_KEY)}:100000000`,
      VIGIL_LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with ${child.exitCode}`);
    const ok = await fetch(`${url}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error('the API did not become ready');
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    child,
    async cpuSeconds() {
      const text = await (await fetch(`${url}/metrics`)).text();
      return Number(/^vigil_api_process_cpu_seconds_total (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A real Prometheus (Debian's package, installed by provision/provision-deploy-tools.sh) on loopback, with our
 * generated configuration, for the observability checks; and a small client for its HTTP API.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface QueryResult {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value?: [number, string] }[] };
}

export class PrometheusProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(config: Record<string, unknown>, port: number): Promise<PrometheusProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-prometheus-'));
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    const prometheus = new PrometheusProcess(child, dir, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + 20_000;
    while (
      !(await fetch(`${prometheus.url}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Prometheus did not become ready on ${prometheus.url}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return prometheus;
  }

  async query(expr: string): Promise<QueryResult> {
    const res = await fetch(`${this.url}/api/v1/query?${new URLSearchParams({ query: expr })}`);
    return (await res.json()) as QueryResult;
  }

  async get<T>(path: string): Promise<T> {
    return (await (await fetch(`${this.url}${path}`)).json()) as T;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

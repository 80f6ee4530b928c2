import { processEnv } from '@vigil/config';
import { clickhouseComponent } from './clickhouse';
import type { ServerComponent } from './component';
import { waitUntil } from './health';
import { kafkaComponent } from './kafka';
import { DEFAULT_MLFLOW_PORT, mlflowComponent } from './mlflow';
import { infraPaths } from './paths';
import { assertAliveOrThrow, rssMiB, runningPid, startDetached, stopManaged } from './process';
import { registryComponent } from './registry';
import { DEFAULT_PORTS, endpointsFor, type LocalPorts, type StackEndpoints } from './versions';

export interface ComponentReport {
  name: string;
  endpoint: string;
  /** 'started' by this call, 'running' (ours, already up), 'external' (healthy but not started by us), 'stopped'. */
  state: 'started' | 'running' | 'external' | 'stopped';
  pid?: number;
  rssMiB?: number;
  provisionMs?: number;
  downloaded?: boolean;
  startMs?: number;
}

export function portsFromEnv(env: NodeJS.ProcessEnv = processEnv()): LocalPorts {
  const port = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a TCP port, got "${raw}"`);
    return n;
  };
  return {
    kafka: port('VIGIL_KAFKA_PORT', DEFAULT_PORTS.kafka),
    kafkaController: port('VIGIL_KAFKA_CONTROLLER_PORT', DEFAULT_PORTS.kafkaController),
    registry: port('VIGIL_REGISTRY_PORT', DEFAULT_PORTS.registry),
    registryManagement: port('VIGIL_REGISTRY_MANAGEMENT_PORT', DEFAULT_PORTS.registryManagement),
    clickhouseHttp: port('VIGIL_CLICKHOUSE_HTTP_PORT', DEFAULT_PORTS.clickhouseHttp),
    clickhouseTcp: port('VIGIL_CLICKHOUSE_TCP_PORT', DEFAULT_PORTS.clickhouseTcp),
  };
}

export function stackComponents(ports: LocalPorts = portsFromEnv(), env: NodeJS.ProcessEnv = processEnv()): ServerComponent[] {
  const { cacheDir, stateDir } = infraPaths();
  return [
    kafkaComponent(cacheDir, stateDir, ports),
    registryComponent(cacheDir, stateDir, ports),
    clickhouseComponent(stateDir, ports),
    // Opt-in: MLflow is a ~850 MB Python install that only training runs need.
    ...(env.VIGIL_MLFLOW === '1' ? [mlflowComponent(cacheDir, stateDir, Number(env.VIGIL_MLFLOW_PORT ?? DEFAULT_MLFLOW_PORT))] : []),
  ];
}

const START_TIMEOUT_MS: Record<string, number> = { kafka: 90_000, registry: 120_000, clickhouse: 60_000, mlflow: 120_000 };

interface Provisioned {
  provisionMs: number;
  downloaded: boolean;
}

async function provisionIfDown(c: ServerComponent): Promise<Provisioned | ComponentReport> {
  const ours = runningPid(c.proc);
  if (await c.healthy()) {
    return { name: c.name, endpoint: c.endpoint, state: ours ? 'running' : 'external', pid: ours, rssMiB: ours && rssMiB(ours) };
  }
  if (ours !== undefined) await stopManaged(c.proc); // ours but unhealthy: restart it cleanly
  const t0 = Date.now();
  const { cached } = await c.provision();
  return { provisionMs: Date.now() - t0, downloaded: !cached };
}

async function start(c: ServerComponent, p: Provisioned): Promise<ComponentReport> {
  const launch = c.prepare();
  const t1 = Date.now();
  const pid = startDetached(c.proc, launch.command, launch.args, { cwd: launch.cwd, env: launch.env });
  await waitUntil(c.name, () => c.healthy(), {
    timeoutMs: START_TIMEOUT_MS[c.name] ?? 60_000,
    onRetry: () => assertAliveOrThrow(c.proc, pid),
  });
  return { name: c.name, endpoint: c.endpoint, state: 'started', pid, rssMiB: rssMiB(pid), ...p, startMs: Date.now() - t1 };
}

/**
 * Provision and start every server; idempotent (healthy ones are left alone). Provisioning runs Maven
 * and apt one at a time so their output stays readable; the servers then start in parallel.
 */
export async function up(components = stackComponents()): Promise<ComponentReport[]> {
  const phases: Array<Provisioned | ComponentReport> = [];
  for (const c of components) phases.push(await provisionIfDown(c));
  return Promise.all(
    components.map((c, i) => {
      const phase = phases[i]!;
      return 'state' in phase ? phase : start(c, phase);
    }),
  );
}

export async function down(components = stackComponents()): Promise<ComponentReport[]> {
  const reports: ComponentReport[] = [];
  for (const c of components) {
    await stopManaged(c.proc);
    reports.push({ name: c.name, endpoint: c.endpoint, state: (await c.healthy()) ? 'external' : 'stopped' });
  }
  return reports;
}

export async function status(components = stackComponents()): Promise<ComponentReport[]> {
  return Promise.all(
    components.map(async (c) => {
      const pid = runningPid(c.proc);
      const healthy = await c.healthy();
      const state: ComponentReport['state'] = healthy ? (pid ? 'running' : 'external') : 'stopped';
      return { name: c.name, endpoint: c.endpoint, state, pid, rssMiB: pid && rssMiB(pid) };
    }),
  );
}

export function localEndpoints(ports: LocalPorts = portsFromEnv()): StackEndpoints {
  return endpointsFor(ports);
}

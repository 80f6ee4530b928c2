import { processEnv } from '@vigil/config';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A server process this clone started, tracked by a pid file so `down` stops only what `up` started. */
export interface ManagedProcess {
  name: string;
  pidFile: string;
  logFile: string;
}

export function readPid(proc: ManagedProcess): number | undefined {
  if (!existsSync(proc.pidFile)) return undefined;
  const pid = Number(readFileSync(proc.pidFile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function runningPid(proc: ManagedProcess): number | undefined {
  const pid = readPid(proc);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Resident memory of a process in MiB (Linux /proc), or undefined when unreadable. */
export function rssMiB(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

export function startDetached(proc: ManagedProcess, command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  mkdirSync(dirname(proc.logFile), { recursive: true });
  mkdirSync(dirname(proc.pidFile), { recursive: true });
  const out = openSync(proc.logFile, 'a');
  const child = spawn(command, args, {
    cwd: opts.cwd,
    env: { ...processEnv(), ...opts.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`${proc.name}: failed to spawn ${command}`);
  child.unref();
  writeFileSync(proc.pidFile, String(child.pid));
  return child.pid;
}

/** SIGTERM the process group, escalate to SIGKILL after `graceMs`. Returns false if nothing was running. */
export async function stopManaged(proc: ManagedProcess, graceMs = 15_000): Promise<boolean> {
  const pid = runningPid(proc);
  if (pid === undefined) {
    rmSync(proc.pidFile, { force: true });
    return false;
  }
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig); // whole group: wrappers such as clickhouse's watchdog fork children
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) signal('SIGKILL');
  rmSync(proc.pidFile, { force: true });
  return true;
}

export function assertAliveOrThrow(proc: ManagedProcess, pid: number): void {
  if (!isAlive(pid)) {
    const tail = existsSync(proc.logFile) ? readFileSync(proc.logFile, 'utf8').split('\n').slice(-15).join('\n') : '';
    throw new Error(`${proc.name} exited during start-up; last log lines (${proc.logFile}):\n${tail}`);
  }
}

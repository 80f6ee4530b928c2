/**
 * MLflow's tracking server and model registry for the local stack, from PyPI: a virtual environment under the
 * download cache (`~/.cache/vigil/mlflow-<version>/venv`, built once with `python3 -m venv` + pip) and a plain
 * `mlflow server` process on loopback with SQLite for runs and the registry and a folder for artifacts
 * (served through the tracking server, so clients need only its HTTP API). Opt-in: `VIGIL_MLFLOW=1 npm run infra -- up`
 * adds it to the stack; tests start it through `mlflowComponent` directly.
 *
 * @example
 *   const mlflow = mlflowComponent(cacheDir, stateDir, DEFAULT_MLFLOW_PORT);
 *   await up([mlflow]);                     // provision + start + wait until /health answers
 *   // MLFLOW_TRACKING_URI=http://127.0.0.1:5055
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerComponent } from './component';
import { httpOk } from './health';

export const MLFLOW_VERSION = '3.17.2';
/** Not MLflow's 5000, which other local tools (and macOS AirPlay) often hold. */
export const DEFAULT_MLFLOW_PORT = 5055;

export function mlflowTrackingUri(port: number = DEFAULT_MLFLOW_PORT): string {
  return `http://127.0.0.1:${port}`;
}

export function mlflowComponent(cacheDir: string, stateDir: string, port: number = DEFAULT_MLFLOW_PORT, python = 'python3'): ServerComponent {
  const home = join(cacheDir, `mlflow-${MLFLOW_VERSION}`);
  const venv = join(home, 'venv');
  const dir = join(stateDir, 'mlflow');
  const proc = { name: 'mlflow', pidFile: join(dir, 'mlflow.pid'), logFile: join(dir, 'mlflow.log') };

  return {
    name: 'mlflow',
    proc,
    endpoint: mlflowTrackingUri(port),
    async provision() {
      const marker = join(venv, '.complete');
      if (existsSync(marker)) return { cached: true };
      mkdirSync(home, { recursive: true });
      if (!existsSync(join(venv, 'bin', 'pip'))) execFileSync(python, ['-m', 'venv', venv], { stdio: ['ignore', 'inherit', 'inherit'] });
      execFileSync(join(venv, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', `mlflow==${MLFLOW_VERSION}`], {
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      writeFileSync(marker, new Date().toISOString());
      return { cached: false };
    },
    prepare() {
      const artifacts = join(dir, 'artifacts');
      mkdirSync(artifacts, { recursive: true });
      return {
        command: join(venv, 'bin', 'mlflow'),
        args: [
          'server',
          '--host',
          '127.0.0.1',
          '--port',
          String(port),
          '--workers',
          '1', // two shared cores: one worker is plenty for tests and a local team
          '--backend-store-uri',
          `sqlite:///${join(dir, 'mlflow.db')}`,
          '--artifacts-destination',
          artifacts,
          '--serve-artifacts',
        ],
        // No telemetry from a loopback test server (startDetached adds the rest of the environment).
        env: { MLFLOW_DISABLE_TELEMETRY: 'true', DO_NOT_TRACK: 'true' },
        cwd: dir,
      };
    },
    healthy: () => httpOk(`${mlflowTrackingUri(port)}/health`, 'OK'),
  };
}

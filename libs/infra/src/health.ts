import { connect } from 'node:net';

export async function isTcpOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const finish = (open: boolean): void => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

export async function httpOk(url: string, expectBody?: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return false;
    if (expectBody === undefined) return true;
    return (await res.text()).trim() === expectBody;
  } catch {
    return false;
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Called between probes; throwing aborts the wait (e.g. the process died). */
  onRetry?: () => void;
}

export async function waitUntil(what: string, probe: () => Promise<boolean>, opts: WaitOptions): Promise<number> {
  const started = Date.now();
  const interval = opts.intervalMs ?? 250;
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > opts.timeoutMs) {
      throw new Error(`${what} did not become healthy within ${opts.timeoutMs} ms`);
    }
    opts.onRetry?.();
    await new Promise((r) => setTimeout(r, interval));
  }
}

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TrackingError } from './experiment-tracker';
import { MlflowRestClient } from './mlflow-rest-client';

/** A loopback server that resets the connection of its first `resets` requests, then answers `{"ok":true}`. */
async function resettingServer(resets: number): Promise<{ server: Server; uri: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    if (requests <= resets) {
      req.socket.destroy(); // as a server that closed a kept-alive socket, or crashed mid-request
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe('MlflowRestClient', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  it('sends a request again after the connection was reset', async () => {
    const s = await resettingServer(2);
    server = s.server;
    await expect(new MlflowRestClient(s.uri).post('mlflow/runs/log-batch', { run_id: 'r' })).resolves.toEqual({ ok: true });
    expect(s.requests()).toBe(3);
  });

  it('gives up after three attempts with a retriable error that names the reason', async () => {
    const s = await resettingServer(10);
    server = s.server;
    const failure = await new MlflowRestClient(s.uri).post('mlflow/runs/log-batch', {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TrackingError);
    expect((failure as TrackingError).retriable).toBe(true);
    expect((failure as Error).message).toMatch(/failed after 3 attempt\(s\): fetch failed \(\w+/);
    expect(s.requests()).toBe(3);
  });
});

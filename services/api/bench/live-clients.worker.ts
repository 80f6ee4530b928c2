/**
 * One receiving thread of `npm run bench:live`: connects its share of the Socket.IO clients (each in one device
 * room), records each result's delivery latency (receipt − processedAtMs, same wall clock as the publisher), and
 * answers the main thread's `reset` / `collect` / `close`. Several threads receive at once, as separate browsers
 * would: one event loop for every client would measure its own queue, not the server.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ClientToServerEvents, ServerToClientEvents } from '@vigil/contracts/realtime';
import { io, type Socket } from 'socket.io-client';

export interface LiveClientsJob {
  url: string;
  apiKey: string;
  /** The device room of each client. */
  deviceIds: string[];
}

export type LiveClientsMessage = { kind: 'reset' } | { kind: 'collect' } | { kind: 'close' };

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const job = workerData as LiveClientsJob;
let latencies: number[] = [];
const clients: Client[] = [];

async function connect(): Promise<void> {
  for (let i = 0; i < job.deviceIds.length; i += 250) {
    const batch = job.deviceIds.slice(i, i + 250).map((deviceId) => {
      const c: Client = io(job.url, { auth: { apiKey: job.apiKey }, transports: ['websocket'], forceNew: true });
      c.on('result', (r) => latencies.push(Date.now() - r.processedAtMs));
      clients.push(c);
      return new Promise<void>((resolve, reject) => {
        c.once('connect_error', reject);
        c.once('connect', () => c.emit('subscribe', { deviceIds: [deviceId] }, () => resolve()));
      });
    });
    await Promise.all(batch);
  }
}

parentPort!.on('message', (m: LiveClientsMessage) => {
  if (m.kind === 'reset') latencies = [];
  else if (m.kind === 'collect') parentPort!.postMessage({ kind: 'latencies', latencies });
  else {
    for (const c of clients) c.close();
    parentPort!.close();
  }
});

connect().then(
  () => parentPort!.postMessage({ kind: 'ready' }),
  (err: unknown) => parentPort!.postMessage({ kind: 'error', message: String(err) }),
);

/**
 * The only file that talks to Socket.IO: the server on the API's HTTP port, typed by the shared event map, and
 * every emit. Results and telemetry go out `volatile` (dropped for a client whose transport is busy, so a slow
 * client never holds up the others); alerts, drift and feedback are reliable and kept for connection-state
 * recovery. A client whose unsent packets still pile up past `maxBuffered` has its transport closed: it
 * reconnects and recovers its alerts, and the server's memory per client stays bounded.
 *
 * Replicas need no adapter: each consumes the live topics in a group of its own, so each sees every result and
 * emits it to its own clients. (An adapter would only be needed to emit from one replica to another's clients.)
 * Connection-state recovery lives in each replica's memory, so a reconnect must reach the same replica:
 * websocket-only clients, or sticky sessions in front.
 */
import type { Server as HttpServer } from 'node:http';
import {
  type ClientToServerEvents,
  deviceRoom,
  FLEET_ROOM,
  type LiveAlert,
  type LiveResult,
  type ServerToClientEvents,
  type TelemetryTick,
} from '@vigil/contracts/realtime';
import type { DriftEvent, OperatorFeedback } from '@vigil/contracts';
import { Server, type Socket } from 'socket.io';
import type { Principal } from '../security/principal';

/** Telemetry packets written before the tick yields to I/O (see `telemetry`). */
const TELEMETRY_SLICE = 250;

export interface SocketData {
  principal: Principal;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface LiveSocketOptions {
  corsOrigins: string[];
  replayMs: number;
  maxBuffered: number;
}

export class LiveSocketRepository {
  readonly io: LiveServer;

  constructor(
    httpServer: HttpServer,
    private readonly opts: LiveSocketOptions,
  ) {
    this.io = new Server(httpServer, {
      cors: { origin: opts.corsOrigins },
      // Clients send small requests only.
      maxHttpBufferSize: 16 * 1024,
      // Explicit, because the fan-out depends on it: without per-message deflate a room broadcast is encoded once
      // into one WebSocket frame that every client's socket is handed as is (socket.io-adapter's pre-encoded frame);
      // with it, every client would compress its own copy.
      perMessageDeflate: false,
      // Recovered sessions authenticate again (skipMiddlewares: false): a revoked key stays revoked.
      connectionStateRecovery: { maxDisconnectionDuration: opts.replayMs, skipMiddlewares: false },
    });
  }

  get clients(): number {
    return this.io.engine.clientsCount;
  }

  result(r: LiveResult): void {
    this.io.to(deviceRoom(r.deviceId)).volatile.emit('result', r);
  }

  alert(a: LiveAlert): void {
    this.io.to([deviceRoom(a.result.deviceId), FLEET_ROOM]).emit('alert', a);
  }

  /**
   * The fleet room gets the whole tick; each device room its own device's aggregate, except for clients also in
   * the fleet room (a dashboard following 200 devices would otherwise get 201 volatile packets a tick, and
   * Socket.IO drops a volatile packet whenever the transport is still writing the previous one). Device rooms
   * go out in slices of about TELEMETRY_SLICE packets, yielding to I/O in between: with thousands of clients a
   * tick is thousands of socket writes, and a result that arrives meanwhile should not wait behind all of them.
   * Rooms nobody is in are skipped.
   */
  telemetry(tick: TelemetryTick): void {
    this.io.to(FLEET_ROOM).volatile.emit('telemetry', tick);
    const rooms = this.io.sockets.adapter.rooms;
    let next = 0;
    const slice = () => {
      for (let packets = 0; next < tick.devices.length && packets < TELEMETRY_SLICE; next++) {
        const device = tick.devices[next]!;
        const room = deviceRoom(device.deviceId);
        const members = rooms.get(room)?.size ?? 0;
        if (members === 0) continue;
        this.io
          .to(room)
          .except(FLEET_ROOM)
          .volatile.emit('telemetry', { tickEndMs: tick.tickEndMs, devices: [device] });
        packets += members;
      }
      if (next < tick.devices.length) setImmediate(slice);
    };
    slice();
  }

  drift(e: DriftEvent): void {
    this.io.to(e.deviceId === null ? FLEET_ROOM : [deviceRoom(e.deviceId), FLEET_ROOM]).emit('drift', e);
  }

  feedback(f: OperatorFeedback): void {
    this.io.to([deviceRoom(f.deviceId), FLEET_ROOM]).emit('feedback', f);
  }

  /** Closes the transport of clients whose unsent packets exceed the bound; returns how many. */
  cutSlowClients(): number {
    let cut = 0;
    for (const socket of this.io.sockets.sockets.values()) {
      const buffered = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (buffered > this.opts.maxBuffered) {
        socket.conn.close();
        cut += 1;
      }
    }
    return cut;
  }

  close(): Promise<void> {
    return this.io.close();
  }
}

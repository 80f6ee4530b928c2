/**
 * The Socket.IO edge, thin like a controller: authenticate the handshake (API key or JWT in `auth`, or the same
 * headers as HTTP), then join the rooms LiveService allows and ack with its snapshot. A recovered session keeps
 * its rooms (Socket.IO restores them) and receives the alerts it missed.
 */
import type { ServiceLogger } from '@vigil/service';
import { deviceRoom, FLEET_ROOM, type LiveAuth, type SubscribeRequest } from '@vigil/contracts/realtime';
import { AuthenticationError, type Authenticator, credentialsFromHeaders } from '../security/authenticator';
import type { LiveSocket, LiveSocketRepository } from './live-socket.repository';
import type { LiveService } from './live.service';

export class LiveGateway {
  constructor(
    private readonly sockets: LiveSocketRepository,
    private readonly live: LiveService,
    private readonly authenticator: Authenticator,
    private readonly log: ServiceLogger,
  ) {}

  start(): void {
    this.sockets.io.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as LiveAuth;
      const fromHeaders = credentialsFromHeaders(socket.handshake.headers);
      this.authenticator
        .authenticate({ apiKey: auth.apiKey ?? fromHeaders.apiKey, bearer: auth.token ?? fromHeaders.bearer })
        .then((principal) => {
          socket.data.principal = principal;
          next();
        })
        .catch((err: unknown) => next(err instanceof AuthenticationError ? new Error(`unauthorized: ${err.message}`) : new Error('unauthorized')));
    });
    this.sockets.io.on('connection', (socket) => this.onConnection(socket));
  }

  private onConnection(socket: LiveSocket): void {
    socket.on('subscribe', (request: SubscribeRequest, ack) => {
      if (typeof ack !== 'function') return;
      this.live.subscribe(request).then(
        async (answer) => {
          if (answer.ok && answer.rooms) await socket.join(answer.rooms);
          ack(answer);
        },
        (err: unknown) => {
          this.log.error({ err, socket: socket.id }, 'snapshot failed');
          ack({ ok: false, error: 'snapshot unavailable, retry' });
        },
      );
    });
    socket.on('unsubscribe', (request: SubscribeRequest, ack) => {
      const rooms = [...(request?.deviceIds ?? []).map(deviceRoom), ...(request?.fleet ? [FLEET_ROOM] : [])];
      for (const room of rooms) void socket.leave(room);
      if (typeof ack === 'function') ack({ ok: true, rooms: [...socket.rooms].filter((r) => r !== socket.id) });
    });
  }
}

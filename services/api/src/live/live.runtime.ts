/**
 * Starts and stops the live side once the HTTP server exists: the Socket.IO server on it, the gateway, the
 * replica's own consumer of the live topics and the telemetry tick.
 */
import type { Server as HttpServer } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Readiness, SERVICE_LOGGER, type ServiceLogger } from '@vigil/service';
import { API_CONFIG, type ApiConfig } from '../config/api.config';
import { Authenticator } from '../security/authenticator';
import { LiveSocketRepository } from './live-socket.repository';
import type { LiveTopicsRepository } from './live-topics.repository';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

export const LIVE_TOPICS_REPOSITORY = Symbol('LIVE_TOPICS_REPOSITORY');

@Injectable()
export class LiveRuntime implements OnApplicationShutdown {
  private sockets?: LiveSocketRepository;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(API_CONFIG) private readonly cfg: ApiConfig,
    @Inject(LiveService) private readonly live: LiveService,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(LIVE_TOPICS_REPOSITORY) private readonly topics: LiveTopicsRepository | null,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(SERVICE_LOGGER) private readonly logger: ServiceLogger,
  ) {}

  async start(httpServer: HttpServer): Promise<void> {
    this.sockets = new LiveSocketRepository(httpServer, {
      corsOrigins: this.cfg.API_CORS_ORIGINS,
      replayMs: this.cfg.API_ALERT_REPLAY_MS,
      maxBuffered: this.cfg.API_SOCKET_MAX_BUFFERED,
    });
    new LiveGateway(this.sockets, this.live, this.authenticator, this.logger.child({ logger: 'LiveGateway' })).start();
    this.live.attach(this.sockets);
    this.timer = setInterval(() => this.live.tick(), this.cfg.API_LIVE_TICK_MS);
    if (!this.topics) return this.readiness.done('live');
    const log = this.logger.child({ logger: 'LiveRuntime', groupId: this.topics.groupId });
    await this.topics.start({
      results: (r) => this.live.onResults(r),
      drift: (d) => this.live.onDrift(d),
      feedback: (f) => this.live.onFeedback(f),
      joined: () => {
        log.info('live consumer joined its group');
        this.readiness.done('live');
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.topics?.stop();
    await this.sockets?.close();
  }
}

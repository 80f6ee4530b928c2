/**
 * The API as a Nest app: the service kit (JSON logs, health, metrics, shutdown hooks, bind host), the HTTP edge
 * (helmet, CORS, body limits), the one error filter, the documents at /docs and /asyncapi, and the live gateway
 * on the same port.
 */
import 'reflect-metadata';
import type { Server as HttpServer } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { bootstrapService, type ServiceLogger } from '@vigil/service';
import { ApiModule, type ApiOverrides } from './api.module';
import type { ApiConfig } from './config/api.config';
import { mountDocs } from './docs/docs.routes';
import { ErrorsFilter } from './http/errors.filter';
import { applyHttpEdge } from './http/http-edge';
import { LiveRuntime } from './live/live.runtime';
import { ApiMetrics } from './observability/api-metrics';

export async function startApi(cfg: ApiConfig, logger: ServiceLogger, overrides: ApiOverrides = {}): Promise<INestApplication> {
  return bootstrapService({
    module: ApiModule.forRoot(cfg, logger, overrides),
    logger,
    http: { host: cfg.API_HTTP_HOST, port: cfg.API_HTTP_PORT },
    beforeListen: async (app) => {
      applyHttpEdge(app, cfg, app.get(ApiMetrics));
      app.useGlobalFilters(new ErrorsFilter(logger));
      mountDocs(app, { brokers: cfg.VIGIL_KAFKA_BROKERS, registryUrl: cfg.VIGIL_SCHEMA_REGISTRY_URL });
      await app.get(LiveRuntime).start(app.getHttpServer() as HttpServer);
    },
  });
}

/**
 * Express middleware at the HTTP edge, before Nest's routes: security headers (helmet), CORS, JSON body limits
 * per route (images and audio get their own; everything else is small), and request metrics. A body over its
 * limit or that is not JSON is answered here as a 413/400 JSON error, never with express's HTML stack page.
 */
import type { INestApplication } from '@nestjs/common';
import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import helmet from 'helmet';
import type { ApiConfig } from '../config/api.config';
import type { ApiMetrics } from '../observability/api-metrics';

export const IMAGE_ROUTES = ['/v1/predictions/image', '/v1/predictions/multimodal'];
export const AUDIO_ROUTES = ['/v1/predictions/audio'];
/** Routes whose body is a block of JSON numbers (a window, a sample of latent vectors). */
export const TIMESERIES_ROUTES = ['/v1/predictions/timeseries', '/v1/drift/check'];

function guardedJson(limit: string): RequestHandler {
  const parse = json({ limit });
  return (req: Request, res: Response, next: NextFunction) =>
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const status = (err as { status?: number }).status ?? 400;
      const type = (err as { type?: string }).type;
      res
        .status(status)
        .json(
          type === 'entity.too.large'
            ? { error: 'payload_too_large', message: `request body over ${limit} for this route` }
            : { error: 'bad_request', message: 'request body is not valid JSON' },
        );
    });
}

export function applyHttpEdge(app: INestApplication, cfg: ApiConfig, metrics: ApiMetrics): void {
  // No client revalidates an API answer (POST answers never can): hashing every body for an ETag is wasted work.
  (app.getHttpAdapter().getInstance() as { set(setting: string, value: unknown): void }).set('etag', false);
  app.use(helmet());
  app.enableCors({ origin: cfg.API_CORS_ORIGINS, methods: ['GET', 'POST'], allowedHeaders: ['content-type', 'authorization', 'x-api-key'], maxAge: 600 });
  app.use(IMAGE_ROUTES, guardedJson(cfg.API_IMAGE_BODY_LIMIT));
  app.use(AUDIO_ROUTES, guardedJson(cfg.API_AUDIO_BODY_LIMIT));
  app.use(TIMESERIES_ROUTES, guardedJson(cfg.API_TIMESERIES_BODY_LIMIT));
  app.use(guardedJson(cfg.API_BODY_LIMIT));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const t0 = performance.now();
    res.on('finish', () => {
      // The route pattern, never the raw path: ids in paths would explode the label set.
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.requests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.requestLatency.observe({ route, method: req.method }, (performance.now() - t0) / 1000);
      if (res.statusCode === 429) metrics.rateLimited.inc();
    });
    next();
  });
}

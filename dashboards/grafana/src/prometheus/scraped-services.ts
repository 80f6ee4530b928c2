/**
 * The services Prometheus scrapes and their HTTP ports (the defaults of `<PREFIX>_HTTP_PORT` in each service's
 * config schema; test/deployment checks they agree). A new service with metrics is added here.
 */
import { HEALTH_ROUTES } from '@vigil/service';

export interface ScrapedService {
  job: string;
  port: number;
}

export const SCRAPED_SERVICES: readonly ScrapedService[] = [
  { job: 'detector', port: 9464 },
  { job: 'api', port: 8080 },
  { job: 'drift', port: 9465 },
  { job: 'trainer', port: 9466 },
];

export const HEALTH_ROUTES_METRICS_PATH = HEALTH_ROUTES.metrics;

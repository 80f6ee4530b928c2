/**
 * `/health/live` (the process answers), `/health/ready` (503 with what it waits for, until ready) and
 * `/metrics` (Prometheus text format): the same three routes on every service, for probes and scrapes.
 */
import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { Readiness } from './readiness';
import { METRICS_REGISTRY } from './tokens';

export const HEALTH_ROUTES = { live: '/health/live', ready: '/health/ready', metrics: '/metrics' } as const;

@Controller()
export class HealthController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  ready(): { status: 'ready' } {
    if (!this.readiness.isReady) throw new HttpException({ status: 'starting', waitingFor: this.readiness.pending }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready' };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

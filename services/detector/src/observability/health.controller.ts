import { Controller, Get, Header, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { DetectorMetrics } from './metrics';
import { Readiness } from './readiness';

@Controller()
export class HealthController {
  constructor(
    @Inject(DetectorMetrics) private readonly metrics: DetectorMetrics,
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
    return this.metrics.registry.metrics();
  }
}

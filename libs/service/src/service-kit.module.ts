/**
 * What every service module imports first: its logger, its metrics registry, readiness and the health routes.
 *
 *   @Module({ imports: [ServiceKitModule.forRoot({ logger, metricsPrefix: 'vigil_detector_', waitFor: ['consumer'] })] })
 */
import { type DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import type { ServiceLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import { Readiness } from './readiness';
import { METRICS_REGISTRY, SERVICE_LOGGER } from './tokens';

export interface ServiceKitOptions {
  logger: ServiceLogger;
  /** Prefix of the default process metrics, e.g. `vigil_detector_`. */
  metricsPrefix: string;
  /** Readiness conditions known at start (more can be added with `Readiness.waitFor`). */
  waitFor?: readonly string[];
}

@Module({})
export class ServiceKitModule {
  static forRoot(opts: ServiceKitOptions): DynamicModule {
    return {
      module: ServiceKitModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_LOGGER, useValue: opts.logger },
        { provide: METRICS_REGISTRY, useFactory: () => createMetricsRegistry(opts.metricsPrefix) },
        { provide: Readiness, useFactory: () => new Readiness(opts.waitFor ?? []) },
      ],
      exports: [SERVICE_LOGGER, METRICS_REGISTRY, Readiness],
    };
  }
}

/**
 * Starts a service the same way everywhere: Nest on the process's pino logger, shutdown hooks (SIGTERM/SIGINT
 * → orderly stop, exit 0; exit 1 if the stop fails), the HTTP server on the configured host and port (all
 * interfaces by default, so probes and scrapes reach it in a pod).
 *
 * @example
 *   const app = await bootstrapService({ module: DetectorModule.forRoot(cfg), logger, http: { host, port },
 *     beforeListen: async (app) => { app.connectMicroservice({ strategy }); await app.startAllMicroservices(); } });
 */
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ServiceLogger } from './logger';
import { PinoNestLogger } from './nest-logger';
import { routeProcessWarnings } from './process-warnings';

export interface BootstrapOptions {
  module: DynamicModule | Type<unknown>;
  logger: ServiceLogger;
  http: { host: string; port: number };
  /** Connect transports, add middleware, … before the HTTP server listens. */
  beforeListen?: (app: INestApplication) => Promise<void>;
}

export async function bootstrapService(opts: BootstrapOptions): Promise<INestApplication> {
  // abortOnError false: a failed start rejects (one fatal log line, exit 1) instead of abort()ing the process.
  const app = await NestFactory.create(opts.module, { logger: new PinoNestLogger(opts.logger), bufferLogs: false, abortOnError: false });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await opts.beforeListen?.(app);
  await app.listen(opts.http.port, opts.http.host);
  return app;
}

/**
 * Runs a process's start function; a failure to start is one fatal JSON line and exit code 1. Node's own process
 * warnings go through the logger too (see routeProcessWarnings).
 */
export function runProcess(logger: ServiceLogger, start: () => Promise<string | void>): void {
  routeProcessWarnings(logger);
  start().then(
    (ready) => {
      if (ready) logger.info({ logger: 'bootstrap' }, ready);
    },
    (err: unknown) => {
      logger.fatal({ logger: 'bootstrap', err }, 'failed to start');
      process.exit(1);
    },
  );
}

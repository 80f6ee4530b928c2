export { bootstrapService, routeProcessWarnings, runProcess, type BootstrapOptions } from './bootstrap';
export { clickhouseLoggerClass, kafkaLogCreator } from './client-loggers';
export { HEALTH_ROUTES, HealthController } from './health.controller';
export { createServiceLogger, type LogLevel, type ServiceLogger, type ServiceLoggerOptions } from './logger';
export { createMetricsRegistry } from './metrics';
export { PinoNestLogger } from './nest-logger';
export { Readiness } from './readiness';
export { ServiceKitModule, type ServiceKitOptions } from './service-kit.module';
export { CLICKHOUSE, KAFKA, METRICS_REGISTRY, SERVICE_LOGGER } from './tokens';

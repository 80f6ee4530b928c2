/**
 * `@vigil/service/logging`: the process logger and the client log hooks without the Nest half of the kit, for
 * processes that never load Nest (the simulators, scripts). Same JSON schema as every service.
 */
export { createServiceLogger, type LogLevel, type ServiceLogger, type ServiceLoggerOptions } from './logger';
export { clickhouseLoggerClass, kafkaLogCreator } from './client-loggers';
export { routeProcessWarnings } from './process-warnings';

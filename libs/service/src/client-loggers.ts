/**
 * The third-party clients' log hooks, pointed at the process's pino logger: kafkajs's `logCreator` and the
 * ClickHouse client's `Logger` class. Their lines then share the service's JSON schema instead of kafkajs's own
 * JSON and the ClickHouse client's plain text.
 */
import { logLevel, type logCreator } from 'kafkajs';
import type { ServiceLogger } from './logger';

const KAFKA_LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'error',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs `logCreator`: `{ namespace, log: { message, ...fields } }` → one pino line, fields kept. */
export function kafkaLogCreator(root: ServiceLogger): logCreator {
  const log = root.child({ logger: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }) => {
      const {
        message,
        timestamp: _timestamp,
        logger: _logger,
        ...fields
      } = entry as { message: string; timestamp?: string; logger?: string } & Record<string, unknown>;
      log[KAFKA_LEVELS[level] ?? 'info']({ namespace, ...fields }, message);
    };
}

interface ClickhouseLogParams {
  module: string;
  message: string;
  args?: Record<string, unknown>;
  err?: Error;
}

/**
 * A class for `createClient({ log: { LoggerClass } })`: the client instantiates it itself, so the pino logger is
 * bound in a closure.
 */
export function clickhouseLoggerClass(root: ServiceLogger) {
  const log = root.child({ logger: 'clickhouse' });
  return class ClickhousePinoLogger {
    trace({ module, message, args }: ClickhouseLogParams): void {
      log.trace({ module, ...args }, message);
    }
    debug({ module, message, args }: ClickhouseLogParams): void {
      log.debug({ module, ...args }, message);
    }
    info({ module, message, args }: ClickhouseLogParams): void {
      log.info({ module, ...args }, message);
    }
    warn({ module, message, args, err }: ClickhouseLogParams): void {
      log.warn({ module, ...args, err }, message);
    }
    error({ module, message, args, err }: ClickhouseLogParams): void {
      log.error({ module, ...args, err }, message);
    }
  };
}

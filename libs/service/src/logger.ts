/**
 * One logger per process (pino), one JSON line per event, one schema for every source — Nest, kafkajs and the
 * ClickHouse client all write through it:
 *
 *   {"level":"warn","time":"2026-12-01T08:00:00.000Z","service":"detector","logger":"kafkajs","msg":"…",…fields}
 *
 * `logger` names the source (a Nest context such as `ScoringService`, `kafkajs`, `clickhouse`); structured
 * fields (topic, partition, offset, modelVersion, a window's `correlationId`) stay fields, never text.
 *
 * @example
 *   const log = createServiceLogger({ service: 'detector', level: cfg.VIGIL_LOG_LEVEL });
 *   log.child({ logger: 'ScoringService', correlationId: windowKey }).info({ deviceId }, 'window scored');
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export type ServiceLogger = Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface ServiceLoggerOptions {
  service: string;
  level?: LogLevel;
  /** Where lines go (default: stdout, synchronously, so a crash loses no line); tests pass a collecting stream. */
  destination?: DestinationStream;
}

export function createServiceLogger(opts: ServiceLoggerOptions): ServiceLogger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { service: opts.service },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not pino's numbers: what people grep for and what Loki/Elastic map without a pipeline.
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    opts.destination ?? pino.destination({ sync: true }),
  );
}

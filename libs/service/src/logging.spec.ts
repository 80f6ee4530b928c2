import { Writable } from 'node:stream';
import { logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { clickhouseLoggerClass, kafkaLogCreator } from './client-loggers';
import { createServiceLogger } from './logger';
import { PinoNestLogger } from './nest-logger';

function collect() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: createServiceLogger({ service: 'detector', level: 'debug', destination }) };
}

/** The one schema: every source writes these keys, with a level name and an ISO time. */
function expectSchema(line: Record<string, unknown>, logger: string): void {
  expect(line).toMatchObject({ service: 'detector', logger });
  expect(typeof line.msg).toBe('string');
  expect(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).toContain(line.level);
  expect(new Date(line.time as string).toISOString()).toBe(line.time);
}

describe('one JSON schema for every log source', () => {
  it('Nest: context becomes `logger`, object messages keep their fields, errors their stack', () => {
    const { lines, logger } = collect();
    const nest = new PinoNestLogger(logger);
    nest.log('Mapped {/metrics, GET} route', 'RouterExplorer');
    nest.log({ message: 'model swapped', from: 'v1', to: 'v2' }, 'ModelWatcher');
    nest.error('flush failed', 'Error: boom\n    at x', 'ResultSink');
    expectSchema(lines[0]!, 'RouterExplorer');
    expect(lines[1]).toMatchObject({ logger: 'ModelWatcher', msg: 'model swapped', from: 'v1', to: 'v2' });
    expect(lines[2]).toMatchObject({ logger: 'ResultSink', level: 'error', msg: 'flush failed', stack: 'Error: boom\n    at x' });
  });

  it('kafkajs: namespace and fields kept, its own timestamp and logger dropped', () => {
    const { lines, logger } = collect();
    const log = kafkaLogCreator(logger)(logLevel.WARN);
    log({
      namespace: 'Connection',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message: 'Connection error', timestamp: 'x', logger: 'kafkajs', broker: '127.0.0.1:9092' },
    });
    expectSchema(lines[0]!, 'kafkajs');
    expect(lines[0]).toMatchObject({ level: 'error', namespace: 'Connection', broker: '127.0.0.1:9092', msg: 'Connection error' });
    expect(lines[0]!.timestamp).toBeUndefined();
  });

  it('ClickHouse client: module and args as fields, the error serialised', () => {
    const { lines, logger } = collect();
    const Logger = clickhouseLoggerClass(logger);
    new Logger().error({ module: 'HTTP Adapter', message: 'request failed', args: { query_id: 'q1' }, err: new Error('ECONNREFUSED') });
    expectSchema(lines[0]!, 'clickhouse');
    expect(lines[0]).toMatchObject({ module: 'HTTP Adapter', query_id: 'q1', err: { message: 'ECONNREFUSED', type: 'Error' } });
  });

  it('a child logger carries a correlation field on every line', () => {
    const { lines, logger } = collect();
    logger.child({ logger: 'ScoringService', correlationId: 'dev-1/1000' }).info('window scored');
    expect(lines[0]).toMatchObject({ logger: 'ScoringService', correlationId: 'dev-1/1000', msg: 'window scored' });
  });
});

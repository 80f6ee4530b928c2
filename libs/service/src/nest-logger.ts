/**
 * Nest's LoggerService over the process's pino logger, so Nest's own lines (bootstrap, route mapping, errors)
 * and every `new Logger(Context)` in our code come out as the same JSON lines as everything else.
 */
import type { LoggerService } from '@nestjs/common';
import type { ServiceLogger } from './logger';

export class PinoNestLogger implements LoggerService {
  constructor(private readonly root: ServiceLogger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /**
   * Nest passes `(message, context)` or, for errors, `(message, stack, context)`; the last string argument is
   * the context. Objects as the message are logged as fields.
   */
  private write(level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const strings = rest.filter((r): r is string => typeof r === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    const stack = level === 'error' && strings.length > 1 ? strings[0] : undefined;
    const log = context ? this.root.child({ logger: context }) : this.root;
    if (message instanceof Error) log[level]({ err: message }, message.message);
    else if (typeof message === 'object' && message !== null) {
      // `logger.log({ message: 'model swapped', from, to })`: the text goes to `msg` like every other line.
      const { message: text, ...fields } = message as { message?: unknown } & Record<string, unknown>;
      log[level](fields, text === undefined ? undefined : String(text));
    } else log[level](stack ? { stack } : {}, String(message));
  }
}

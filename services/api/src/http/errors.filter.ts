/**
 * The API's one exception filter: HTTP errors keep their status and body; anything else is a 500 with a request
 * id and no stack or message (those go to the log), so internals never reach a client.
 */
import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { ServiceLogger } from '@vigil/service';

interface ReplyLike {
  status(code: number): ReplyLike;
  json(body: unknown): void;
  headersSent?: boolean;
}

@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly log: ServiceLogger;

  constructor(logger: ServiceLogger) {
    this.log = logger.child({ logger: 'ErrorsFilter' });
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const res = host.switchToHttp().getResponse<ReplyLike>();
    if (res.headersSent) return;
    if (exception instanceof ThrottlerException) {
      res.status(HttpStatus.TOO_MANY_REQUESTS).json({ error: 'rate_limited', message: 'too many requests for this key; retry later' });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      res.status(status).json(typeof body === 'string' ? { error: errorName(status), message: body } : normalise(body, status));
      return;
    }
    const requestId = randomUUID();
    this.log.error({ err: exception, requestId }, 'unhandled error');
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'internal', requestId });
  }
}

/** Nest's own errors (404 route, 413 body too large, bad JSON) come as `{ statusCode, message, error }`. */
function normalise(body: object, status: number): object {
  if ('statusCode' in body) {
    const { message } = body as { message?: unknown };
    return { error: errorName(status), message: Array.isArray(message) ? message.join('; ') : String(message ?? '') };
  }
  return body;
}

function errorName(status: number): string {
  return (HttpStatus[status] ?? 'error').toLowerCase();
}

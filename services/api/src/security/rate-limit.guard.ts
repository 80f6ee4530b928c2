/**
 * Per-principal rate limits on `/v1` (@nestjs/throttler, one bucket per key or token subject, per replica): a
 * key's own limit from API_KEYS, else API_RATE_LIMIT per API_RATE_WINDOW_MS. Runs after AuthGuard.
 */
import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from './auth.guard';

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** The default hashes this string with SHA-256 on every request; our storage keys a Map, so the plain string does. */
  protected override generateKey(context: Parameters<ThrottlerGuard['canActivate']>[0], suffix: string, name: string): string {
    return `${context.getClass().name}-${context.getHandler().name}-${name}-${suffix}`;
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const principal = (req as unknown as AuthenticatedRequest).principal;
    return principal ? `${principal.via}:${principal.id}` : `ip:${String(req.ip)}`;
  }

  protected override async shouldSkip(context: Parameters<ThrottlerGuard['canActivate']>[0]): Promise<boolean> {
    return !context.switchToHttp().getRequest<AuthenticatedRequest>().url.startsWith('/v1');
  }
}

/**
 * The first global guard: authenticates every `/v1` request (401 otherwise), checks the handler's role (403), and
 * leaves the Principal on the request for the rate limiter and the handlers. Health, metrics and docs are public.
 */
import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticationError, Authenticator, credentialsFromHeaders } from './authenticator';
import { hasRole, type Principal, type Role } from './principal';
import { PUBLIC_KEY, ROLE_KEY } from './roles.decorator';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  url: string;
  principal?: Principal;
}

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets) || !req.url.startsWith('/v1')) return true;
    try {
      req.principal = await this.authenticator.authenticate(credentialsFromHeaders(req.headers));
    } catch (err) {
      if (err instanceof AuthenticationError) throw new UnauthorizedException({ error: 'unauthorized', message: err.message });
      throw err;
    }
    const needed = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'viewer';
    if (!hasRole(req.principal, needed)) {
      throw new ForbiddenException({ error: 'forbidden', message: `this route needs the ${needed} role; ${req.principal.id} has ${req.principal.role}` });
    }
    return true;
  }
}

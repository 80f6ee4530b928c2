/**
 * Turns credentials into a Principal: an API key (`x-api-key`, compared by SHA-256 against the configured hashes)
 * or a JWT (`Authorization: Bearer`, HS256, with `sub` and a `role` claim). The same object guards HTTP routes
 * and Socket.IO connections.
 *
 * Keys are random, high-entropy secrets, so a fast hash is enough to make the stored form useless to a reader;
 * a slow password hash (scrypt, argon2) would cost milliseconds on every request for no gain.
 *
 * @example
 *   const auth = new Authenticator({ keys: [{ name: 'ops', role: 'operator', sha256: hashApiKey('s3cret…') }] });
 *   const who = await auth.authenticate({ apiKey: 's3cret…' });   // { id: 'ops', role: 'operator', via: 'api-key' }
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { jwtVerify } from 'jose';
import type { ApiKeySpec } from '../config/api.config';
import { type Principal, ROLES, type Role } from './principal';

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

export interface AuthenticatorOptions {
  keys: readonly ApiKeySpec[];
  jwt?: { secret: string; issuer?: string; audience?: string };
}

export interface Credentials {
  apiKey?: string;
  bearer?: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export class Authenticator {
  private readonly keys: Array<ApiKeySpec & { digest: Buffer }>;
  private readonly jwtSecret?: Uint8Array;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.keys = opts.keys.map((k) => ({ ...k, digest: Buffer.from(k.sha256, 'hex') }));
    this.jwtSecret = opts.jwt ? new TextEncoder().encode(opts.jwt.secret) : undefined;
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    if (credentials.apiKey) return this.byKey(credentials.apiKey);
    if (credentials.bearer) return this.byToken(credentials.bearer);
    throw new AuthenticationError('missing credentials: send an x-api-key header or an Authorization: Bearer token');
  }

  private byKey(key: string): Principal {
    const digest = createHash('sha256').update(key).digest();
    // Every configured key is compared (constant time each), so timing tells nothing about which one nearly matched.
    let found: ApiKeySpec | undefined;
    for (const k of this.keys) if (timingSafeEqual(k.digest, digest)) found = k;
    if (!found) throw new AuthenticationError('unknown API key');
    return { id: found.name, role: found.role, via: 'api-key', limit: found.limit };
  }

  private async byToken(token: string): Promise<Principal> {
    if (!this.jwtSecret) throw new AuthenticationError('bearer tokens are not accepted by this deployment');
    try {
      const { payload } = await jwtVerify(token, this.jwtSecret, {
        algorithms: ['HS256'],
        issuer: this.opts.jwt?.issuer,
        audience: this.opts.jwt?.audience,
      });
      const role = payload.role as Role;
      if (typeof payload.sub !== 'string' || !ROLES.includes(role)) throw new AuthenticationError('token needs a sub and a role claim');
      return { id: payload.sub, role, via: 'jwt' };
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      throw new AuthenticationError(`invalid token: ${(err as Error).message}`);
    }
  }
}

/** Credentials from HTTP-style headers (HTTP requests and Socket.IO handshakes alike). */
export function credentialsFromHeaders(headers: Record<string, string | string[] | undefined>): Credentials {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const authorization = first(headers.authorization);
  return {
    apiKey: first(headers['x-api-key']),
    bearer: authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined,
  };
}

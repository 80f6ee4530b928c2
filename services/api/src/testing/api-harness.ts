/**
 * Starts the real API app on a loopback port for specs, with test keys of every role and, optionally, in-memory
 * repositories instead of ClickHouse and Kafka. `call()` is fetch with a key.
 */
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createServiceLogger } from '@vigil/service';
import { SignJWT } from 'jose';
import { startApi } from '../api.app';
import type { ApiOverrides } from '../api.module';
import { type ApiConfig, parseApiConfig } from '../config/api.config';
import { hashApiKey } from '../security/authenticator';

export const TEST_KEYS = {
  viewer: 'test-viewer-key-0123456789abcdef',
  operator: 'test-operator-key-0123456789abcdef',
  admin: 'test-admin-key-0123456789abcdef',
  limited: 'test-limited-key-0123456789abcdef',
};
export const TEST_JWT_SECRET = 'a-test-secret-that-is-at-least-32-characters';

export interface ApiHarness {
  app: INestApplication;
  cfg: ApiConfig;
  url: string;
  call(path: string, init?: RequestInit & { key?: keyof typeof TEST_KEYS | null }): Promise<{ status: number; body: unknown; headers: Headers }>;
  token(sub: string, role: string, opts?: { expired?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export async function startApiHarness(env: Record<string, string>, overrides: ApiOverrides): Promise<ApiHarness> {
  const cfg = parseApiConfig({
    API_HTTP_HOST: '127.0.0.1',
    API_HTTP_PORT: '0',
    API_KEYS: [
      `viewer:viewer:${hashApiKey(TEST_KEYS.viewer)}`,
      `operator:operator:${hashApiKey(TEST_KEYS.operator)}`,
      `admin:admin:${hashApiKey(TEST_KEYS.admin)}`,
      `limited:viewer:${hashApiKey(TEST_KEYS.limited)}:3`,
    ].join(','),
    API_JWT_SECRET: TEST_JWT_SECRET,
    VIGIL_LOG_LEVEL: 'warn',
    ...env,
  });
  const app = await startApi(cfg, createServiceLogger({ service: 'api-test', level: cfg.VIGIL_LOG_LEVEL }), overrides);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    cfg,
    url,
    async call(path, init = {}) {
      const { key = 'viewer', ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set('x-api-key', TEST_KEYS[key]);
      if (rest.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const res = await fetch(url + path, { ...rest, headers });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (metrics, docs): keep the text
      }
      return { status: res.status, body, headers: res.headers };
    },
    token(sub, role, opts = {}) {
      const jwt = new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt();
      jwt.setExpirationTime(opts.expired ? Math.floor(Date.now() / 1000) - 60 : '5m');
      return jwt.sign(new TextEncoder().encode(TEST_JWT_SECRET));
    },
    close: () => app.close(),
  };
}

/**
 * The two nginx configurations, run by a real nginx (Debian's package; provision/provision-deploy-tools.sh) on
 * loopback: the dashboard image's server (dashboards/web/nginx/default.conf) over a stand-in build, and the
 * compose edge (deploy/nginx/nginx.conf) in front of it and of an upstream standing in for the API replicas
 * (the API itself is tested elsewhere; here only what nginx routes where matters). Checked: SPA fallback,
 * immutable caching of hashed assets and revalidation of index.html, gzip, the edge's asset cache, the API routes
 * and the WebSocket upgrade for Socket.IO. Only the listen addresses, upstream hosts and paths are rewritten.
 * Debian's nginx is 1.22; the images run 1.29 (nothing used here changed in between).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, WEB_APP_HEALTH } from './service-inventory';

const dir = mkdtempSync(join(tmpdir(), 'vigil-nginx-'));
const html = join(dir, 'html');
const INDEX = `<!doctype html><html><head><script type="module" src="./assets/index-abc123.js"></script></head><body><div id="app"></div></body></html>\n`;
const ASSET = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: "device-${i}" }`).join(', ')}];\n`;
const basePort = 24_000 + Math.floor(Math.random() * 1000);
const ports = { dashboard: basePort, edge: basePort + 1000 };
const children: ChildProcess[] = [];
/** Debian installs it under /usr/sbin, which a non-root PATH may lack. */
const NGINX = existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A WebSocket handshake as Socket.IO's client sends it: resolves with the status line nginx relays. */
function upgrade(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('error', reject);
    req.end();
  });
}

async function startNginx(name: string, conf: string, port: number): Promise<void> {
  const confFile = join(dir, `${name}.conf`);
  writeFileSync(confFile, conf);
  const child = spawn(NGINX, ['-p', dir, '-c', confFile, '-g', `daemon off; pid ${join(dir, `${name}.pid`)}; error_log stderr warn;`], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  const deadline = Date.now() + 10_000;
  while (
    !(await get(port, WEB_APP_HEALTH).then(
      (r) => r.status === 200,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`nginx (${name}) did not start on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('nginx: the dashboard image and the compose edge', () => {
  const seen: { path: string; upgrade?: string }[] = [];
  let api: Server;

  beforeAll(async () => {
    mkdirSync(join(html, 'assets'), { recursive: true });
    writeFileSync(join(html, 'index.html'), INDEX);
    writeFileSync(join(html, 'assets', 'index-abc123.js'), ASSET);
    mkdirSync(join(dir, 'cache'));
    mkdirSync(join(dir, 'logs'));
    // nginx's workers drop root (Debian: www-data): they must read the files and write the cache.
    for (const d of [dir, html, join(html, 'assets')]) chmodSync(d, 0o755);
    chmodSync(join(dir, 'cache'), 0o777);

    api = createServer((req, res) => {
      seen.push({ path: req.url ?? '' });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ upstream: 'api', path: req.url }));
    });
    api.on('upgrade', (req, socket) => {
      seen.push({ path: req.url ?? '', upgrade: req.headers.upgrade });
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const apiPort = (api.address() as AddressInfo).port;

    const server = readFileSync(join(ROOT, 'dashboards', 'web', 'nginx', 'default.conf'), 'utf8')
      .replace('listen 8080;', `listen 127.0.0.1:${ports.dashboard};`)
      .replace('root /usr/share/nginx/html;', `root ${html};`);
    await startNginx('dashboard', `events {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n${server}\n}\n`, ports.dashboard);

    const edge = readFileSync(join(ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8')
      .replace('worker_processes auto;', 'worker_processes 1;')
      .replace('listen 8080;', `listen 127.0.0.1:${ports.edge};`)
      .replace('server dashboard:8080', `server 127.0.0.1:${ports.dashboard}`)
      .replace('server api:8080', `server 127.0.0.1:${apiPort}`)
      .replace('/var/cache/nginx/static', join(dir, 'cache'))
      .replace('http {', 'http {\n  access_log off;');
    await startNginx('edge', edge, ports.edge);
  });

  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await new Promise<void>((r) => (api ? api.close(() => r()) : r()));
    rmSync(dir, { recursive: true, force: true });
  });

  describe('the dashboard image (dashboards/web/nginx/default.conf)', () => {
    it('serves index.html revalidated, and every client-side route falls back to it', async () => {
      for (const path of ['/', '/devices/dev-0001', '/drift']) {
        const reply = await get(ports.dashboard, path);
        expect(reply.status, path).toBe(200);
        expect(reply.body.toString(), path).toBe(INDEX);
        expect(reply.headers['cache-control'], path).toBe('no-cache');
      }
    });

    it('serves hashed assets immutable for a year, gzipped, and a missing asset as 404 (never index.html)', async () => {
      const reply = await get(ports.dashboard, '/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-encoding']).toBe('gzip');
      expect(reply.body.length).toBeLessThan(ASSET.length / 2);
      expect(reply.headers['cache-control']).toContain('max-age=31536000');
      expect(reply.headers['cache-control']).toContain('immutable');
      expect((await get(ports.dashboard, '/assets/index-gone.js')).status).toBe(404);
    });
  });

  describe('the compose edge (deploy/nginx/nginx.conf)', () => {
    it('proxies the app from the dashboard container, with its cache headers', async () => {
      const reply = await get(ports.edge, '/devices/dev-0001');
      expect(reply.status).toBe(200);
      expect(reply.body.toString()).toBe(INDEX);
      expect(reply.headers['cache-control']).toBe('no-cache');
    });

    it('caches hashed assets at the edge (a miss, then hits) and keeps them gzipped', async () => {
      const first = await get(ports.edge, '/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
      const second = await get(ports.edge, '/assets/index-abc123.js', { 'accept-encoding': 'gzip' });
      expect([first.headers['x-cache-status'], second.headers['x-cache-status']]).toEqual(['MISS', 'HIT']);
      expect(second.headers['content-encoding']).toBe('gzip');
      expect(second.headers['cache-control']).toContain('immutable');
    });

    it('routes the REST API, its docs and the AsyncAPI document to the API replicas, and nothing else', async () => {
      for (const path of ['/v1/devices?limit=5', '/docs', '/docs/openapi.json', '/asyncapi.json']) {
        const reply = await get(ports.edge, path);
        expect(JSON.parse(reply.body.toString()), path).toEqual({ upstream: 'api', path });
      }
      expect((await get(ports.edge, '/v1x')).body.toString()).toBe(INDEX);
    });

    it('upgrades Socket.IO to a WebSocket through to the API', async () => {
      expect(await upgrade(ports.edge, '/socket.io/?EIO=4&transport=websocket')).toBe(101);
      expect(seen.at(-1)).toEqual({ path: '/socket.io/?EIO=4&transport=websocket', upgrade: 'websocket' });
    });
  });
});

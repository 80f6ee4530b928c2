import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Fetch a Maven Central artifact into the cache, verified against the repository's published SHA-1.
 * Idempotent: a cached file with a matching checksum is reused without touching the network.
 */
export async function downloadVerified(url: string, target: string): Promise<{ cached: boolean }> {
  const shaFile = `${target}.sha1`;
  if (existsSync(target) && existsSync(shaFile)) {
    if (sha1(readFileSync(target)) === readFileSync(shaFile, 'utf8').trim()) return { cached: true };
  }
  mkdirSync(dirname(target), { recursive: true });
  const expected = (await fetchText(`${url}.sha1`)).trim().split(/\s+/)[0] ?? '';
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download failed: ${url} → HTTP ${res.status}`);
  const body = Buffer.from(await res.arrayBuffer());
  const actual = sha1(body);
  if (actual !== expected) throw new Error(`checksum mismatch for ${url}: expected ${expected}, got ${actual}`);
  writeFileSync(`${target}.part`, body);
  renameSync(`${target}.part`, target);
  writeFileSync(shaFile, expected);
  return { cached: false };
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`download failed: ${url} → HTTP ${res.status}`);
  return res.text();
}

function sha1(data: Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

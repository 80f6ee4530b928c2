/**
 * Headless Chromium (Debian's `chromium`, never a downloaded browser) driven by playwright-core. playwright-core
 * is a dependency of @vigil/web, outside the root's workspaces for now, so it is loaded from there; the type is
 * the subset this suite uses.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

export interface Locator {
  count(): Promise<number>;
  first(): Locator;
  click(): Promise<void>;
  focus(): Promise<void>;
  waitFor(opts?: { timeout?: number }): Promise<void>;
}
export interface Page {
  goto(url: string, opts?: { waitUntil?: 'load' | 'domcontentloaded' | 'networkidle' }): Promise<unknown>;
  waitForSelector(selector: string, opts?: { timeout?: number }): Promise<unknown>;
  click(selector: string): Promise<void>;
  keyboard: { press(key: string): Promise<void> };
  screenshot(opts: { path: string; fullPage?: boolean }): Promise<Buffer>;
  evaluate<T>(fn: string | (() => T)): Promise<T>;
  textContent(selector: string): Promise<string | null>;
  waitForFunction(fn: string, arg?: unknown, opts?: { timeout?: number }): Promise<unknown>;
  addInitScript(script: string): Promise<void>;
  locator(selector: string): Locator;
  on(event: 'console' | 'pageerror', fn: (msg: { text?: () => string; message?: string }) => void): void;
}
export interface Browser {
  newPage(opts?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}

export function launchChromium(): Promise<Browser> {
  if (!CHROMIUM) throw new Error('no Chromium: apt-get install -y chromium');
  const requireFromWeb = createRequire(resolve(REPO_ROOT, 'dashboards', 'web', 'package.json'));
  const { chromium } = requireFromWeb('playwright-core') as { chromium: { launch(o: object): Promise<Browser> } };
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

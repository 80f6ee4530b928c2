/**
 * The services the deployment must cover, discovered from `services/*` (so a new service fails the checks until
 * it has an image, a compose entry and manifests), with what each one's code says about itself: its config
 * schema (`services/<name>/src/config/<name>.config.ts` exports `<camelName>ConfigSchema`, a zod object), the
 * HTTP prefix `<NAME>` given to `httpConfig(...)`, and so its port.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { z } from 'zod';

export const ROOT = resolve(__dirname, '..', '..');

export interface ServiceUnderTest {
  name: string;
  dir: string;
  configSchema: z.ZodObject<z.ZodRawShape>;
  httpPrefix: string;
  port: number;
  /** Every variable the schema reads. */
  envKeys: string[];
}

export interface ServiceInventory {
  services: ServiceUnderTest[];
  /** Directories with a package.json and no code yet: skipped, with a note. */
  skipped: string[];
  /** Directories that break the convention: each a failure message. */
  problems: string[];
}

export const camelName = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
export const httpPrefixOf = (name: string): string => name.toUpperCase().replace(/-/g, '_');
/** Variables that hold credentials: set from a Secret on Kubernetes, never in a ConfigMap. */
export const isSecretVariable = (key: string): boolean => /(PASSWORD|SECRET|_KEYS)$/.test(key);

function hasCode(dir: string): boolean {
  const src = join(dir, 'src');
  if (!existsSync(src)) return false;
  const walk = (d: string): boolean => readdirSync(d).some((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith('.ts')));
  return walk(src);
}

export async function discoverServices(root = ROOT): Promise<ServiceInventory> {
  const inventory: ServiceInventory = { services: [], skipped: [], problems: [] };
  const names = readdirSync(join(root, 'services')).filter((n) => existsSync(join(root, 'services', n, 'package.json')));
  for (const name of names.sort()) {
    const dir = join(root, 'services', name);
    if (!hasCode(dir)) {
      inventory.skipped.push(name);
      continue;
    }
    const configPath = join(dir, 'src', 'config', `${name}.config.ts`);
    const exportName = `${camelName(name)}ConfigSchema`;
    if (!existsSync(configPath)) {
      inventory.problems.push(`services/${name}: no src/config/${name}.config.ts exporting ${exportName}`);
      continue;
    }
    const schema = ((await import(configPath)) as Record<string, unknown>)[exportName];
    if (!(schema instanceof z.ZodObject)) {
      inventory.problems.push(`services/${name}: src/config/${name}.config.ts does not export ${exportName} as a zod object`);
      continue;
    }
    const configSchema = schema as z.ZodObject<z.ZodRawShape>;
    const shape: z.ZodRawShape = configSchema.shape;
    const httpPrefix = httpPrefixOf(name);
    // The port is the default of `<PREFIX>_HTTP_PORT`: what the service listens on when nothing overrides it.
    const portField = shape[`${httpPrefix}_HTTP_PORT`] as z.ZodType<unknown> | undefined;
    const port = z.number().safeParse(portField?.safeParse(undefined).data);
    if (!port.success || !(`${httpPrefix}_HTTP_HOST` in shape)) {
      inventory.problems.push(`services/${name}: ${exportName} lacks httpConfig('${httpPrefix}', <port>)`);
      continue;
    }
    inventory.services.push({ name, dir, configSchema, httpPrefix, port: port.data, envKeys: Object.keys(shape).sort() });
  }
  return inventory;
}

export function noteSkipped(inventory: ServiceInventory): void {
  for (const name of inventory.skipped) console.log(`[deployment] services/${name}: no code under src/ yet, skipped`);
}

/**
 * What each npm workspace ships, so a new deployable cannot land without its image, compose entry and manifests:
 * `services/*` are services (checked above, from their config schemas); a workspace with an `index.html` and a
 * `vite build` script is a static web app (its image serves the build with nginx); the rest must be listed in
 * NOT_DEPLOYED with the reason, or the coverage test fails and names the workspace.
 */
export type WorkspaceRole = { kind: 'service' } | { kind: 'web'; name: string } | { kind: 'not-deployed'; reason: string };

/** Workspaces with no long-running image of their own, and why. */
export const NOT_DEPLOYED: Readonly<Record<string, string>> = {
  'libs/*': 'libraries, built into the images that import them',
  'dashboards/grafana': 'generates deploy/grafana and deploy/prometheus files, which compose and the tests load',
  simulators: 'a load/demo tool: an image and a compose entry, no Kubernetes manifests (docs/DEPLOYMENT.md)',
};
/** The deployment name (compose service, Kubernetes resources, image vigil/<name>) of a web app; default its folder. */
export const WEB_APP_NAMES: Readonly<Record<string, string>> = { 'dashboards/web': 'dashboard' };
/** The port a web app's nginx listens on (nginx-unprivileged's default) and its health route. */
export const WEB_APP_PORT = 8080;
export const WEB_APP_HEALTH = '/healthz';

export interface WorkspaceEntry {
  dir: string;
  packageName: string;
  role: WorkspaceRole | null;
}

const matches = (pattern: string, dir: string): boolean => (pattern.endsWith('/*') ? dirname(dir) === pattern.slice(0, -2) : dir === pattern);

export function workspaceRoles(root = ROOT): WorkspaceEntry[] {
  const patterns = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  const dirs = patterns.flatMap((p) =>
    p.endsWith('/*')
      ? readdirSync(join(root, p.slice(0, -2)))
          .map((n) => `${p.slice(0, -2)}/${n}`)
          .filter((d) => existsSync(join(root, d, 'package.json')))
      : [p],
  );
  return dirs.sort().map((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string; scripts?: Record<string, string> };
    const notDeployed = Object.entries(NOT_DEPLOYED).find(([pattern]) => matches(pattern, dir));
    let role: WorkspaceRole | null = null;
    if (dir.startsWith('services/')) role = { kind: 'service' };
    else if (existsSync(join(root, dir, 'index.html')) && /\bvite build\b/.test(pkg.scripts?.build ?? ''))
      role = { kind: 'web', name: WEB_APP_NAMES[dir] ?? basename(dir) };
    else if (notDeployed) role = { kind: 'not-deployed', reason: notDeployed[1] };
    return { dir, packageName: pkg.name, role };
  });
}

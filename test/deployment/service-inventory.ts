/**
 * The services the deployment must cover, discovered from `services/*` (so a new service fails the checks until
 * it has an image, a compose entry and manifests), with what each one's code says about itself: its config
 * schema (`services/<name>/src/config/<name>.config.ts` exports `<camelName>ConfigSchema`, a zod object), the
 * HTTP prefix `<NAME>` given to `httpConfig(...)`, and so its port.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

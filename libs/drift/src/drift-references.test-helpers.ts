/** The reference values made by fixtures/make_drift_fixtures.py (scipy / NumPy), typed for the specs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DriftReferences {
  ks: { a: number[]; b: number[]; method: 'auto' | 'asymp'; statistic: number; pValue: number }[];
  wasserstein: { a: number[]; b: number[]; distance: number }[];
  benjaminiHochberg: { pValues: number[]; adjusted: number[] }[];
  mmd: {
    x: number[];
    y: number[];
    n: number;
    m: number;
    dim: number;
    shift: number;
    permutations: number;
    seed: number;
    bandwidthSquared: number;
    statistic: number;
    pValue: number;
    linearStatistic: number;
  }[];
  psi: { reference: number[]; current: number[]; psi: number }[];
}

export const references = JSON.parse(readFileSync(join(__dirname, '../fixtures/drift-references.json'), 'utf8')) as DriftReferences;

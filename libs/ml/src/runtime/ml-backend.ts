/**
 * The TensorFlow.js backends Vigil can run on, and how `ML_BACKEND` names them.
 *
 * @example
 *   parseMlBackend(process.env.ML_BACKEND); // 'tensorflow' when unset
 */
export const ML_BACKENDS = ['tensorflow', 'tensorflow-gpu', 'cpu'] as const;
export type MlBackend = (typeof ML_BACKENDS)[number];

/** Real TensorFlow on the CPU: fast enough to train conv nets, always provisioned by scripts/setup.sh. */
export const DEFAULT_ML_BACKEND: MlBackend = 'tensorflow';

/**
 * Where each backend comes from and which tfjs backend name it registers. The GPU package registers itself
 * under the same name as the CPU one ('tensorflow'); only the library behind it differs.
 */
export const BACKEND_MODULES: Record<MlBackend, { packageName: string; tfjsBackend: string }> = {
  'tensorflow-gpu': { packageName: '@tensorflow/tfjs-node-gpu', tfjsBackend: 'tensorflow' },
  tensorflow: { packageName: '@tensorflow/tfjs-node', tfjsBackend: 'tensorflow' },
  cpu: { packageName: '@tensorflow/tfjs', tfjsBackend: 'cpu' },
};

/** What to try, best first, when a backend is requested: always ending with the pure-JS one. */
export const FALLBACK_CHAIN: Record<MlBackend, readonly MlBackend[]> = {
  'tensorflow-gpu': ['tensorflow-gpu', 'tensorflow', 'cpu'],
  tensorflow: ['tensorflow', 'cpu'],
  cpu: ['cpu'],
};

export class InvalidMlBackendError extends Error {
  constructor(readonly value: string) {
    super(`ML_BACKEND="${value}" is not one of ${ML_BACKENDS.join(' | ')}`);
    this.name = 'InvalidMlBackendError';
  }
}

/** Unset or empty means the default; anything else must be an exact name, so typos fail fast. */
export function parseMlBackend(value: string | undefined): MlBackend {
  if (value === undefined || value.trim() === '') return DEFAULT_ML_BACKEND;
  const name = value.trim();
  if (!(ML_BACKENDS as readonly string[]).includes(name)) throw new InvalidMlBackendError(name);
  return name as MlBackend;
}

/**
 * A process's explicit choice of TensorFlow.js backend, made before the ML runtime loads. The runtime
 * (`./index.ts`) loads synchronously when first imported, because model code needs `tf` at import time; so a
 * process that wants another backend than the default names it first, from its validated config, and imports
 * model code after:
 *
 *   const cfg = loadConfig(detectorConfigSchema);
 *   chooseMlBackend(cfg.ML_BACKEND);            // from '@vigil/ml/backend-choice': loads nothing
 *   const { startDetector } = await import('./detector.app');
 *
 * Without a choice the runtime loads the default (real TensorFlow on the CPU). Nothing here reads process.env.
 */
import { DEFAULT_ML_BACKEND, type MlBackend } from './ml-backend';

const CHOICE = Symbol.for('vigil.ml.backend-choice');
type Slot = { chosen?: MlBackend; loaded?: MlBackend };
const slot = ((globalThis as Record<symbol, Slot | undefined>)[CHOICE] ??= {});

export class MlBackendAlreadyLoadedError extends Error {
  constructor(
    readonly loaded: MlBackend,
    readonly wanted: MlBackend,
  ) {
    super(`the ML runtime already loaded with ${loaded}; choose ${wanted} before anything imports @vigil/ml`);
    this.name = 'MlBackendAlreadyLoadedError';
  }
}

/** Names the backend the runtime will load. Fails if it already loaded another one. */
export function chooseMlBackend(backend: MlBackend): void {
  if (slot.loaded !== undefined && slot.loaded !== backend) throw new MlBackendAlreadyLoadedError(slot.loaded, backend);
  slot.chosen = backend;
}

/** What the runtime loads now (the choice, else the default), recorded so a later, different choice fails. */
export function takeMlBackendChoice(): MlBackend {
  slot.loaded = slot.chosen ?? DEFAULT_ML_BACKEND;
  return slot.loaded;
}

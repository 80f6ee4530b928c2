/**
 * The one place that decides which TensorFlow.js backend runs our models. Model code imports `tf` from here
 * (or `@vigil/ml`) and never from a backend package, so switching backends never touches it.
 *
 * The backend (`tensorflow|tensorflow-gpu|cpu`, default `tensorflow`) is loaded once, when this module is first
 * imported: the process's explicit `chooseMlBackend()` (see ./backend-choice.ts, fed from the validated
 * `ML_BACKEND` config) or the default; a missing backend falls back (gpu → tensorflow → cpu) with a log line, and the pure-JS `cpu`
 * backend always logs a loud warning.
 *
 * `tf` stays the `@tensorflow/tfjs` namespace itself: tfjs-node(-gpu) registers its backend on that same
 * tfjs-core engine and re-exports the same API, so values and types (`tf.Tensor`, `tf.LayersModel`) are
 * unchanged whichever backend runs.
 *
 * @example
 *   import { tf, mlBackend } from '@vigil/ml';
 *   console.log(mlBackend.backend); // 'tensorflow'
 *   const y = tf.tidy(() => model.predict(x) as tf.Tensor);
 */
import * as tf from '@tensorflow/tfjs';
import { loadMlBackend } from './backend-loader';
import { takeMlBackendChoice } from './backend-choice';

const loaded = loadMlBackend(takeMlBackendChoice());

/** Which backend was asked for, which one runs, and why any better one was skipped. */
export const mlBackend = { requested: loaded.requested, backend: loaded.backend, skipped: loaded.skipped } as const;

export { tf };
export { InvalidMlBackendError, ML_BACKENDS, parseMlBackend, type MlBackend } from './ml-backend';
export { chooseMlBackend, MlBackendAlreadyLoadedError } from './backend-choice';
export { loadMlBackend, NoMlBackendError, type LoadedMlBackend, type LoadOptions, type Tf } from './backend-loader';

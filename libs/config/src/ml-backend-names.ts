/**
 * The ML_BACKEND values. `@vigil/ml` (ml-backend.ts) defines what each one loads; this copy of the names keeps
 * the config free of TensorFlow imports, and `@vigil/ml`'s spec checks the two lists are the same.
 */
export const ML_BACKEND_NAMES = ['tensorflow', 'tensorflow-gpu', 'cpu'] as const;

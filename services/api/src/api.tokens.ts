/** Injection tokens of the API (things built in factories, not classes). */
export const ANOMALIES_REPOSITORY = Symbol('ANOMALIES_REPOSITORY');
export const FEEDBACK_REPOSITORY = Symbol('FEEDBACK_REPOSITORY');
export const DRIFT_REPOSITORY = Symbol('DRIFT_REPOSITORY');
export const MODELS_REPOSITORY = Symbol('MODELS_REPOSITORY');
export const CLOCK = Symbol('CLOCK');

/** The wall clock, injectable so tests can pin "now". */
export type Clock = () => number;

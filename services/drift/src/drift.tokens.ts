/** Injection tokens for things that are not classes (or that we construct in factories). */
export const PUBLISHER = Symbol('PUBLISHER');
export const DRIFT_TOPICS = Symbol('DRIFT_TOPICS');

/** @EventPattern names of the batch transport's routes. */
export const ROUTES = { latents: 'drift.ingest.latents', results: 'drift.ingest.results', feedback: 'drift.ingest.feedback' } as const;

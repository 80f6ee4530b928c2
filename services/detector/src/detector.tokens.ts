/** Injection tokens for things that are not classes (or that we construct in factories). */
export const PUBLISHER = Symbol('PUBLISHER');
/** A second producer for the checkpoint (state) topic, so large checkpoint batches never queue ahead of results. */
export const STATE_PUBLISHER = Symbol('STATE_PUBLISHER');
/** A third producer for the root-cause worker's explanations: best-effort sends never queue ahead of results or state. */
export const SHAP_PUBLISHER = Symbol('SHAP_PUBLISHER');
export const DETECTOR_TOPICS = Symbol('DETECTOR_TOPICS');
/** The one DeadLetterPublisher: the consumer's (undecodable Avro) and the frame decoder's (undecodable images). */
export const DEAD_LETTERS = Symbol('DEAD_LETTERS');

/** @EventPattern names of the batch transport's routes. */
export const ROUTES = { sensor: 'detector.ingest.sensor', audio: 'detector.ingest.audio', image: 'detector.ingest.image' } as const;

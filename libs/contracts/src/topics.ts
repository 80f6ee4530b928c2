/**
 * The topic catalogue: every topic Vigil reads or writes, in one place. Names are versioned (`.v1`): a
 * breaking contract change gets a new topic, never an incompatible schema on an old one.
 *
 * Keys: device id for per-device streams, so one device's events stay ordered on one partition and its
 * detector state lives on one consumer. Subjects follow Confluent's TopicNameStrategy (`<topic>-value`).
 *
 * @example
 *   import { TOPICS } from '@vigil/contracts';
 *   await publisher.publish(TOPICS.sensorReadings, [{ key: r.deviceId, value: r }]);
 */
import {
  AnomalyResultSchema,
  AudioChunkSchema,
  DeadLetterSchema,
  DetectorCheckpointSchema,
  DriftEventSchema,
  GroundTruthLabelSchema,
  ImageFrameSchema,
  LatentVectorSchema,
  OperatorFeedbackSchema,
  RetrainRequestSchema,
  SensorReadingSchema,
  ShapExplanationSchema,
  type AnomalyResult,
  type AudioChunk,
  type DeadLetter,
  type DetectorCheckpoint,
  type DriftEvent,
  type GroundTruthLabel,
  type ImageFrame,
  type LatentVector,
  type OperatorFeedback,
  type RetrainRequest,
  type SensorReading,
  type ShapExplanation,
} from './generated/schemas';
import { validateAudioChunk, validateImageFrame, validateSensorReading } from './validation';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface TopicSpec<T> {
  name: string;
  /** The bundled Avro schema registered under `<name>-value`. */
  schema: object;
  partitions: number;
  replicationFactor: number;
  /** `delete` topics keep `retentionMs`; `compact` topics keep the last value per key forever. */
  cleanupPolicy: 'delete' | 'compact';
  retentionMs: number;
  /** What the message key holds. */
  key: 'deviceId' | 'modality' | 'requestId' | 'originalKey';
  /**
   * Contract checks beyond the schema, run after decoding; returns violations. (Method syntax keeps
   * TopicSpec<T> assignable to TopicSpec<unknown>, so catalogues of mixed topics type-check.)
   */
  validate?(value: T): string[];
  /** Phantom field carrying the value type for the compiler; never set. */
  readonly __value?: T;
}

function topic<T>(spec: Omit<TopicSpec<T>, 'replicationFactor'> & { replicationFactor?: number }): TopicSpec<T> {
  return { replicationFactor: 1, ...spec };
}

export type AnyTopicSpec = TopicSpec<unknown>;

/** Hot streams get enough partitions to spread devices over several detector instances. */
const STREAM_PARTITIONS = 6;

export const TOPICS = {
  sensorReadings: topic<SensorReading>({
    name: 'vigil.sensor.readings.v1',
    schema: SensorReadingSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: 3 * DAY_MS,
    key: 'deviceId',
    validate: validateSensorReading,
  }),
  audioChunks: topic<AudioChunk>({
    name: 'vigil.audio.chunks.v1',
    schema: AudioChunkSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: DAY_MS,
    key: 'deviceId',
    validate: validateAudioChunk,
  }),
  imageFrames: topic<ImageFrame>({
    name: 'vigil.image.frames.v1',
    schema: ImageFrameSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: DAY_MS,
    key: 'deviceId',
    validate: validateImageFrame,
  }),
  groundTruth: topic<GroundTruthLabel>({
    name: 'vigil.ground-truth.labels.v1',
    schema: GroundTruthLabelSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    key: 'deviceId',
  }),
  anomalyResults: topic<AnomalyResult>({
    name: 'vigil.anomaly.results.v1',
    schema: AnomalyResultSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    key: 'deviceId',
  }),
  latentVectors: topic<LatentVector>({
    name: 'vigil.latent.vectors.v1',
    schema: LatentVectorSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
    key: 'deviceId',
  }),
  driftEvents: topic<DriftEvent>({
    name: 'vigil.drift.events.v1',
    schema: DriftEventSchema,
    partitions: 1,
    cleanupPolicy: 'delete',
    retentionMs: 90 * DAY_MS,
    key: 'modality',
  }),
  retrainRequests: topic<RetrainRequest>({
    name: 'vigil.retrain.requests.v1',
    schema: RetrainRequestSchema,
    partitions: 1,
    cleanupPolicy: 'delete',
    retentionMs: 90 * DAY_MS,
    key: 'modality',
  }),
  deadLetters: topic<DeadLetter>({
    name: 'vigil.dead-letters.v1',
    schema: DeadLetterSchema,
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 14 * DAY_MS,
    key: 'originalKey',
  }),
  /** Events that arrived after every window they belong to had closed, wrapped like dead letters (errorClass LateEventError). */
  lateEvents: topic<DeadLetter>({
    name: 'vigil.late-events.v1',
    schema: DeadLetterSchema,
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 7 * DAY_MS,
    key: 'originalKey',
  }),
  /** KernelSHAP root causes of flagged windows, following their results (same deviceId + window); see services/detector. */
  shapExplanations: topic<ShapExplanation>({
    name: 'vigil.root-cause.shap.v1',
    schema: ShapExplanationSchema,
    partitions: STREAM_PARTITIONS,
    cleanupPolicy: 'delete',
    retentionMs: 30 * DAY_MS,
    key: 'deviceId',
  }),
  detectorCheckpoints: topic<DetectorCheckpoint>({
    name: 'vigil.detector.checkpoints.v1',
    schema: DetectorCheckpointSchema,
    partitions: 1,
    cleanupPolicy: 'compact',
    retentionMs: -1,
    key: 'deviceId',
  }),
  /** Operators' confirm / dismiss / fault-range labels (the API publishes them): input to thresholds, evaluation, retraining. */
  operatorFeedback: topic<OperatorFeedback>({
    name: 'vigil.operator.feedback.v1',
    schema: OperatorFeedbackSchema,
    partitions: 3,
    cleanupPolicy: 'delete',
    retentionMs: 365 * DAY_MS,
    key: 'deviceId',
  }),
} as const;

export type TopicKey = keyof typeof TOPICS;
export type ValueOf<S> = S extends TopicSpec<infer T> ? T : never;

export const ALL_TOPICS: ReadonlyArray<TopicSpec<unknown>> = Object.values(TOPICS);

export function subjectOf(spec: Pick<TopicSpec<unknown>, 'name'>): string {
  return `${spec.name}-value`;
}

/** A copy of a spec under another name: tests use random topic names with the real contracts. */
export function renamed<T>(spec: TopicSpec<T>, name: string): TopicSpec<T> {
  return { ...spec, name };
}

/**
 * A catalogue topic with a name suffix (an isolated pipeline on a shared broker: tests, benchmarks), or the topic
 * itself when the suffix is empty. Services apply their `<PREFIX>_TOPIC_SUFFIX` with it.
 */
export function withSuffix<T>(spec: TopicSpec<T>, suffix: string): TopicSpec<T> {
  return suffix ? renamed(spec, spec.name + suffix) : spec;
}

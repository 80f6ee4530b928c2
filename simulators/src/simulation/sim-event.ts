/**
 * What the pure simulation hands to the pacer and the sinks: one event of one stream with both clocks.
 * `eventTimeMs` is when the device observed it by its own clock (as stamped in the record); `sendTimeMs` is when
 * it leaves the device, by the reference clock (the Kafka message timestamp). Sinks map each stream to its topic.
 *
 * @example
 *   const send: PlannedSend = { stream: 'sensor', key: 'dev-0001', value: reading, eventTimeMs: 1000, sendTimeMs: 1042 };
 */
import type { AudioChunk, GroundTruthLabel, ImageFrame, SensorReading } from '../contracts';

export const STREAMS = ['sensor', 'audio', 'image', 'label'] as const;
export type Stream = (typeof STREAMS)[number];

/** The three measured modalities; labels are metadata about them. */
export const MODALITY_STREAMS = ['sensor', 'audio', 'image'] as const;
export type ModalityStream = (typeof MODALITY_STREAMS)[number];

export interface StreamValues {
  sensor: SensorReading;
  audio: AudioChunk;
  image: ImageFrame;
  label: GroundTruthLabel;
}

export type PlannedSend = {
  [S in Stream]: { stream: S; key: string; value: StreamValues[S]; eventTimeMs: number; sendTimeMs: number };
}[Stream];

export const MODALITY_OF_STREAM = { sensor: 'SENSOR', audio: 'AUDIO', image: 'IMAGE' } as const;

/**
 * The modality catalogue: the one list of what a device streams, and what each stream is called on the wire.
 * Windowing, scoring, thresholds, configs and the simulators take their lists from here; the Avro `Modality`
 * enum (schemas/avro/common.avsc) adds `FUSED` for the fused score, and a spec keeps the two in step.
 */
import type { Modality } from './generated/schemas';

/** The streamed modalities, in report order. */
export const STREAM_MODALITIES = ['SENSOR', 'AUDIO', 'IMAGE'] as const satisfies readonly Modality[];
export type StreamModality = (typeof STREAM_MODALITIES)[number];

/** Every value of the Avro `Modality` enum: the streamed ones and the fused score. */
export const ALL_MODALITIES = [...STREAM_MODALITIES, 'FUSED'] as const satisfies readonly Modality[];

export function isStreamModality(value: string): value is StreamModality {
  return (STREAM_MODALITIES as readonly string[]).includes(value);
}

/** What each streamed modality's events are, for docs and error messages. */
export const MODALITY_DESCRIPTIONS: Record<StreamModality, string> = {
  SENSOR: 'SensorReading: named channel values at one instant',
  AUDIO: 'AudioChunk: a PCM chunk of machine sound',
  IMAGE: 'ImageFrame: a thermal or camera frame',
};

/**
 * The event contracts the simulators produce, from `@vigil/contracts` (generated from `schemas/avro/*.avsc`), in
 * one place so the rest of the package imports them locally.
 *
 * @example
 *   const reading: SensorReading = { deviceId: 'dev-0001', eventTimeMs: 0, seq: 0, values: { rpm: 1480 } };
 */
export type { AudioChunk, GroundTruthLabel, ImageEncoding, ImageFrame, Modality, PcmEncoding, SensorReading } from '@vigil/contracts';

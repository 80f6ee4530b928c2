/**
 * The contract every generator implements, synthetic or replayed: one device's samples of one modality at a
 * fixed period, produced in order, and which faults it can show. The fleet simulation drives sources; sources
 * never see timing, sinks or the clock.
 *
 * @example
 *   const source: ModalitySource<'sensor'> = new SyntheticSensorSource(profile, faults, 10);
 *   const first = source.sample(0, startMs);
 */
import type { GroundTruthLabel } from '../contracts';
import type { Fault } from '../faults/fault';
import type { StreamValues } from '../simulation/sim-event';

export interface FaultExpression {
  /** Sensor channels the fault moves (empty for audio and image). */
  channels: string[];
}

export interface ModalitySource<S extends 'sensor' | 'audio' | 'image'> {
  readonly stream: S;
  /** Time between samples (event time). */
  readonly periodMs: number;
  /** Time a sample covers before it can be sent (an audio chunk's length; 0 for instants). */
  readonly captureMs: number;
  /** Where this source's data comes from, for labels (`synthetic`, `cmapss-fd001`, …). */
  readonly origin: string;
  /** How this source shows a fault, or undefined when it cannot (e.g. C-MAPSS replay and a scheduled bearing fault). */
  expression(fault: Fault): FaultExpression | undefined;
  /** Sample number `seq` at `eventTimeMs`; called with seq = 0, 1, 2, … in order. */
  sample(seq: number, eventTimeMs: number): StreamValues[S];
  /** Faults the data itself carries (C-MAPSS degradation), labelled for [fromMs, toMs). */
  datasetLabels?(fromMs: number, toMs: number): GroundTruthLabel[];
}

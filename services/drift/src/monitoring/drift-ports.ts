/**
 * What the monitoring service needs from the outside world, as interfaces: the repositories implement them
 * (ClickHouse, Kafka), the specs fake them.
 */
import type { DriftEvent, RetrainRequest } from '@vigil/contracts';
import type { ReferenceWindow } from '@vigil/drift';
import type { DriftRow } from './drift-rows';

export interface DriftStore {
  saveRows(rows: DriftRow[]): Promise<void>;
  loadReference(modality: string, modelVersion: string): Promise<ReferenceWindow | null>;
  saveReference(modality: string, reference: ReferenceWindow): Promise<void>;
}

export interface DriftOutbox {
  publishDriftEvents(events: DriftEvent[]): Promise<void>;
  publishRetrainRequest(request: RetrainRequest): Promise<void>;
}

export interface Clock {
  now(): number;
  /** For durations only (metrics). */
  monotonicSeconds(): number;
  newId(): string;
}

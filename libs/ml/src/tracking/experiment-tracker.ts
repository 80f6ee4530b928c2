/**
 * Experiment tracking and model versions behind one interface, whichever backend holds them: MLflow through
 * its REST API (`MlflowTracker`, `MlflowModelVersionRegistry`) when a tracking URI is given, a local run folder
 * (`LocalRunTracker`) and our folder registry (`FolderModelVersionRegistry`) otherwise. `trainAndRegister()`
 * is the one caller in the training path; `createTracking()` picks the backend.
 *
 * @example
 *   const run = await tracker.startRun({ experiment: 'sensor-pump', runName: 'retrain-42' });
 *   await run.logParams({ epochs: 20 });
 *   await run.logMetrics({ loss: 0.41 }, 3);
 *   await run.logArtifact('/tmp/model', 'model');
 *   await run.end('FINISHED');
 */

export type ParamValue = string | number | boolean;
export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';

export interface StartRunInput {
  experiment: string;
  runName?: string;
  tags?: Record<string, string>;
}

export interface TrackedRun {
  readonly runId: string;
  readonly experimentId: string;
  logParams(params: Record<string, ParamValue>): Promise<void>;
  /** One value per key at `step` (e.g. the epoch); `step` defaults to 0. */
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
  /** Uploads a file, or a folder's files recursively, under `artifactPath` (default: the file's name). */
  logArtifact(localPath: string, artifactPath?: string): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  end(status: RunStatus): Promise<void>;
}

export interface ExperimentTracker {
  readonly kind: 'mlflow' | 'local';
  startRun(input: StartRunInput): Promise<TrackedRun>;
}

export interface RegisterModelInput {
  name: string;
  /** A model folder as the folder registry writes it (`model.json`, `weights.bin`, card). */
  modelDir: string;
  /** The tracked run that produced it; MLflow needs it (the version's source is that run's artifacts). */
  run?: TrackedRun;
  tags?: Record<string, string>;
}

export interface RegisteredModelVersion {
  name: string;
  version: string;
  /** Where the version's files are: a folder, or an MLflow artifact URI. */
  source: string;
}

/** The alias of the version the detector serves. */
export const LIVE_ALIAS = 'champion';

export interface ModelVersionRegistry {
  readonly kind: 'mlflow' | 'folder';
  register(input: RegisterModelInput): Promise<RegisteredModelVersion>;
  /** Points `alias` at `version` (promotion when alias is `LIVE_ALIAS`). */
  setAlias(name: string, alias: string, version: string): Promise<void>;
  getByAlias(name: string, alias: string): Promise<RegisteredModelVersion | null>;
}

export class TrackingError extends Error {
  override readonly name = 'TrackingError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

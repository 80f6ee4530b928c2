/**
 * Picks the tracking backend: MLflow when a tracking URI is given (runs and registered versions in MLflow, the
 * model files also in the folder registry the detector serves from), a local run folder and the folder
 * registry otherwise. Callers read `MLFLOW_TRACKING_URI` at their top level (or from their config) and pass it.
 *
 * @example
 *   const { tracker, registry } = createTracking({ trackingUri: process.env.MLFLOW_TRACKING_URI, localRunsDir: '.runs', registryRoot: 'models/sensor' });
 */
import { type ExperimentTracker, type ModelVersionRegistry, type RegisteredModelVersion, type RegisterModelInput } from './experiment-tracker';
import { FolderModelVersionRegistry } from './folder-model-version-registry';
import { LocalRunTracker } from './local-run-tracker';
import { MlflowRestClient } from './mlflow-rest-client';
import { MlflowModelVersionRegistry, MlflowTracker } from './mlflow-tracker';

export interface TrackingOptions {
  trackingUri?: string;
  localRunsDir: string;
  registryRoot: string;
}

export interface Tracking {
  tracker: ExperimentTracker;
  registry: ModelVersionRegistry;
}

const MLFLOW_VERSION_TAG = 'mlflow.modelVersion';

/**
 * Folder registry as the source of serving truth, MLflow's registry kept in step: a registration lands in both
 * (the folder candidate remembers the MLflow version), an alias is set in both.
 */
export class MlflowMirroredRegistry implements ModelVersionRegistry {
  readonly kind = 'mlflow';

  constructor(
    readonly folder: FolderModelVersionRegistry,
    readonly mlflow: MlflowModelVersionRegistry,
  ) {}

  async register(input: RegisterModelInput): Promise<RegisteredModelVersion> {
    const inMlflow = await this.mlflow.register(input);
    return this.folder.register({ ...input, tags: { ...input.tags, [MLFLOW_VERSION_TAG]: inMlflow.version } });
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.folder.setAlias(name, alias, version);
    const mlflowVersion = (await this.folder.tagsOf(name, version))[MLFLOW_VERSION_TAG];
    if (mlflowVersion) await this.mlflow.setAlias(name, alias, mlflowVersion);
  }

  getByAlias(name: string, alias: string): Promise<RegisteredModelVersion | null> {
    return this.folder.getByAlias(name, alias);
  }
}

export function createTracking(options: TrackingOptions): Tracking {
  const folder = new FolderModelVersionRegistry(options.registryRoot);
  if (!options.trackingUri) return { tracker: new LocalRunTracker(options.localRunsDir), registry: folder };
  const client = new MlflowRestClient(options.trackingUri);
  return { tracker: new MlflowTracker(client), registry: new MlflowMirroredRegistry(folder, new MlflowModelVersionRegistry(client)) };
}

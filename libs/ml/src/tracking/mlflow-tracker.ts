/**
 * `ExperimentTracker` and `ModelVersionRegistry` over a real MLflow server (REST API only, no Python client):
 * experiments by name (created on first use), runs with params, metrics per step (per-epoch losses), tags and
 * artifacts (uploaded through the server's artifact proxy), registered models whose versions point at the
 * run's `model/` artifacts, and aliases (`champion` = live).
 *
 * @example
 *   const client = new MlflowRestClient(trackingUri);
 *   const tracker = new MlflowTracker(client);
 *   const registry = new MlflowModelVersionRegistry(client);
 */
import { readFile } from 'node:fs/promises';
import { artifactFiles } from './artifact-files';
import {
  type ExperimentTracker,
  type ModelVersionRegistry,
  type ParamValue,
  type RegisteredModelVersion,
  type RegisterModelInput,
  type RunStatus,
  type StartRunInput,
  type TrackedRun,
  TrackingError,
} from './experiment-tracker';
import { MlflowApiError, type MlflowRestClient } from './mlflow-rest-client';

/** MLflow's log-batch limits: 1000 metrics, 100 params per call. */
const MAX_METRICS_PER_BATCH = 1000;
const MAX_PARAMS_PER_BATCH = 100;
/** The run's artifacts live under `mlflow-artifacts:/<experiment>/<run>/artifacts` (proxied by the server). */
const PROXIED_ARTIFACT_URI = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/;

const tagList = (tags: Record<string, string> = {}) => Object.entries(tags).map(([key, value]) => ({ key, value }));

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface RunInfo {
  run_id: string;
  experiment_id: string;
  artifact_uri: string;
}

class MlflowRun implements TrackedRun {
  readonly runId: string;
  readonly experimentId: string;
  readonly artifactUri: string;

  constructor(
    private readonly client: MlflowRestClient,
    info: RunInfo,
    private readonly now: () => number,
  ) {
    this.runId = info.run_id;
    this.experimentId = info.experiment_id;
    this.artifactUri = info.artifact_uri;
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    const list = Object.entries(params).map(([key, value]) => ({ key, value: String(value) }));
    for (const batch of chunks(list, MAX_PARAMS_PER_BATCH)) await this.client.post('mlflow/runs/log-batch', { run_id: this.runId, params: batch });
  }

  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    const timestamp = this.now();
    const list = Object.entries(metrics).map(([key, value]) => ({ key, value, timestamp, step }));
    for (const batch of chunks(list, MAX_METRICS_PER_BATCH)) await this.client.post('mlflow/runs/log-batch', { run_id: this.runId, metrics: batch });
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.client.post('mlflow/runs/log-batch', { run_id: this.runId, tags: tagList(tags) });
  }

  async logArtifact(localPath: string, artifactPath?: string): Promise<void> {
    const root = PROXIED_ARTIFACT_URI.exec(this.artifactUri)?.[1];
    if (!root) throw new TrackingError(`run ${this.runId} stores artifacts at ${this.artifactUri}; start the server with --serve-artifacts`, false);
    for (const file of await artifactFiles(localPath, artifactPath))
      await this.client.putArtifact(`${root}/${file.artifactPath}`, await readFile(file.absolutePath));
  }

  async end(status: RunStatus): Promise<void> {
    await this.client.post('mlflow/runs/update', { run_id: this.runId, status, end_time: this.now() });
  }
}

export class MlflowTracker implements ExperimentTracker {
  readonly kind = 'mlflow';
  private readonly experimentIds = new Map<string, string>();

  constructor(
    private readonly client: MlflowRestClient,
    private readonly now: () => number = Date.now,
  ) {}

  async startRun(input: StartRunInput): Promise<MlflowRun> {
    const experimentId = await this.experimentId(input.experiment);
    const { run } = await this.client.post<{ run: { info: RunInfo } }>('mlflow/runs/create', {
      experiment_id: experimentId,
      run_name: input.runName,
      start_time: this.now(),
      tags: tagList(input.tags),
    });
    return new MlflowRun(this.client, run.info, this.now);
  }

  private async experimentId(name: string): Promise<string> {
    const known = this.experimentIds.get(name);
    if (known) return known;
    let id: string;
    try {
      id = (await this.client.get<{ experiment: { experiment_id: string } }>('mlflow/experiments/get-by-name', { experiment_name: name })).experiment
        .experiment_id;
    } catch (error) {
      if (!(error instanceof MlflowApiError) || error.errorCode !== 'RESOURCE_DOES_NOT_EXIST') throw error;
      id = (await this.client.post<{ experiment_id: string }>('mlflow/experiments/create', { name })).experiment_id;
    }
    this.experimentIds.set(name, id);
    return id;
  }
}

interface MlflowModelVersion {
  name: string;
  version: string;
  source: string;
}

export class MlflowModelVersionRegistry implements ModelVersionRegistry {
  readonly kind = 'mlflow';

  constructor(private readonly client: MlflowRestClient) {}

  /** Uploads the model folder to the run's `model/` artifacts and registers a version pointing at them. */
  async register(input: RegisterModelInput): Promise<RegisteredModelVersion> {
    const run = input.run;
    if (!(run instanceof MlflowRun)) throw new TrackingError('registering in MLflow needs the MLflow run that produced the model', false);
    await run.logArtifact(input.modelDir, 'model');
    await this.ensureRegisteredModel(input.name);
    const { model_version } = await this.client.post<{ model_version: MlflowModelVersion }>('mlflow/model-versions/create', {
      name: input.name,
      source: `${run.artifactUri}/model`,
      run_id: run.runId,
      tags: tagList(input.tags),
    });
    return { name: model_version.name, version: model_version.version, source: model_version.source };
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.client.post('mlflow/registered-models/alias', { name, alias, version });
  }

  async getByAlias(name: string, alias: string): Promise<RegisteredModelVersion | null> {
    try {
      const { model_version } = await this.client.get<{ model_version: MlflowModelVersion }>('mlflow/registered-models/alias', { name, alias });
      return { name: model_version.name, version: model_version.version, source: model_version.source };
    } catch (error) {
      if (error instanceof MlflowApiError && (error.errorCode === 'RESOURCE_DOES_NOT_EXIST' || error.errorCode === 'INVALID_PARAMETER_VALUE')) return null;
      throw error;
    }
  }

  private async ensureRegisteredModel(name: string): Promise<void> {
    try {
      await this.client.post('mlflow/registered-models/create', { name });
    } catch (error) {
      if (!(error instanceof MlflowApiError) || error.errorCode !== 'RESOURCE_ALREADY_EXISTS') throw error;
    }
  }
}

/**
 * The REST client: typed GETs of `/v1` and the feedback POST, with the API key in `x-api-key`. Errors carry the
 * status and the API's own message, which the pages show as they are.
 */
import type {
  AnomalyFilters,
  AnomalyPage,
  ApiDriftEvent,
  DeviceState,
  Feedback,
  FeedbackRequest,
  ModelInfo,
  TrainingDetail,
  TrainingRun,
  WindowData,
  WindowDetail,
} from './types';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class RestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | null,
  ) {}

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    if (this.apiKey) headers.set('x-api-key', this.apiKey);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, { ...init, headers });
    } catch (err) {
      throw new ApiError(0, `the API at ${this.baseUrl} cannot be reached (${(err as Error).message})`);
    }
    const body = (await res.json().catch(() => null)) as (T & { message?: string; error?: string }) | null;
    if (!res.ok) throw new ApiError(res.status, body?.message ?? body?.error ?? `HTTP ${res.status}`);
    return body as T;
  }

  anomalies(filters: AnomalyFilters): Promise<AnomalyPage> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, String(v));
    return this.request(`/v1/anomalies?${q}`);
  }

  window(deviceId: string, windowStartMs: number): Promise<WindowDetail> {
    return this.request(`/v1/anomalies/${encodeURIComponent(deviceId)}/${windowStartMs}`);
  }

  /** The window's raw sensor, audio and image data with the models' reconstruction, spectrogram and anomaly map. */
  windowData(deviceId: string, windowStartMs: number): Promise<WindowData> {
    return this.request(`/v1/windows/${encodeURIComponent(deviceId)}/${windowStartMs}/data`);
  }

  async trainingRuns(): Promise<TrainingRun[]> {
    return (await this.request<{ items: TrainingRun[] }>('/v1/training/runs')).items;
  }

  trainingRun(model: string, version: string): Promise<TrainingDetail> {
    return this.request(`/v1/training/runs/${encodeURIComponent(model)}/${encodeURIComponent(version)}`);
  }

  async devices(): Promise<DeviceState[]> {
    return (await this.request<{ items: DeviceState[] }>('/v1/devices')).items;
  }

  async models(): Promise<ModelInfo[]> {
    return (await this.request<{ items: ModelInfo[] }>('/v1/models')).items;
  }

  model(name: string): Promise<ModelInfo> {
    return this.request(`/v1/models/${encodeURIComponent(name)}`);
  }

  async driftEvents(limit = 500): Promise<ApiDriftEvent[]> {
    return (await this.request<{ items: ApiDriftEvent[] }>(`/v1/drift/events?limit=${limit}`)).items;
  }

  /** Every window test, drifted or not: the statistics over time (the live feed carries drifted windows only). */
  async driftStatistics(limit = 500): Promise<ApiDriftEvent[]> {
    return (await this.request<{ items: ApiDriftEvent[] }>(`/v1/drift/events?drifted=all&limit=${limit}`)).items;
  }

  async feedback(deviceId: string): Promise<Feedback[]> {
    return (await this.request<{ items: Feedback[] }>(`/v1/feedback?deviceId=${encodeURIComponent(deviceId)}`)).items;
  }

  sendFeedback(body: FeedbackRequest): Promise<Feedback> {
    return this.request('/v1/feedback', { method: 'POST', body: JSON.stringify({ reason: '', ...body }) });
  }
}

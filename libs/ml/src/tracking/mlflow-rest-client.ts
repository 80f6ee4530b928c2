/**
 * The few MLflow REST endpoints Vigil uses (tracking 2.0 API, the artifact proxy of `mlflow server
 * --serve-artifacts`, the model registry), over fetch. Errors carry MLflow's error code and whether a retry
 * may help (5xx and network failures).
 *
 * @example
 *   const client = new MlflowRestClient('http://127.0.0.1:5055');
 *   const { experiment_id } = await client.post('mlflow/experiments/create', { name: 'sensor' });
 */
import { TrackingError } from './experiment-tracker';

export class MlflowApiError extends TrackingError {
  constructor(
    message: string,
    readonly status: number,
    readonly errorCode: string | undefined,
  ) {
    super(message, status >= 500);
  }
}

export class MlflowRestClient {
  private readonly base: string;

  constructor(
    trackingUri: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = trackingUri.replace(/\/+$/, '');
  }

  get<T>(endpoint: string, query: Record<string, string>): Promise<T> {
    return this.request<T>('GET', `${this.base}/api/2.0/${endpoint}?${new URLSearchParams(query)}`);
  }

  post<T>(endpoint: string, body: unknown): Promise<T> {
    return this.request<T>('POST', `${this.base}/api/2.0/${endpoint}`, JSON.stringify(body), 'application/json');
  }

  /** PUT one file through the artifact proxy; `path` is `<experiment>/<run>/artifacts/<file path>`. */
  async putArtifact(path: string, bytes: Uint8Array): Promise<void> {
    const url = `${this.base}/api/2.0/mlflow-artifacts/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`;
    await this.request('PUT', url, bytes, 'application/octet-stream');
  }

  private async request<T>(method: string, url: string, body?: string | Uint8Array, contentType?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        body,
        headers: contentType ? { 'content-type': contentType } : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw new TrackingError(`MLflow ${method} ${url} failed: ${(cause as Error).message}`, true, { cause });
    }
    const text = await response.text();
    if (!response.ok) {
      let errorCode: string | undefined;
      let message = text;
      try {
        const parsed = JSON.parse(text) as { error_code?: string; message?: string };
        errorCode = parsed.error_code;
        message = parsed.message ?? text;
      } catch {
        // not JSON (e.g. a proxy's HTML error page): keep the text
      }
      throw new MlflowApiError(`MLflow ${method} ${url}: ${response.status} ${errorCode ?? ''} ${message}`.trim(), response.status, errorCode);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }
}

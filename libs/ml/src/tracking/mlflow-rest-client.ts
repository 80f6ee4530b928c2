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
    const response = await this.send(method, url, body, contentType);
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

  /**
   * fetch, tried again after a network failure (a connection reset or refused: a kept-alive socket the server had
   * just closed, a busy single-worker server), up to NETWORK_ATTEMPTS in all; a timeout is not tried again. A CI run
   * lost a whole retraining job to one `fetch failed` on MLflow's log-batch.
   */
  private async send(method: string, url: string, body?: string | Uint8Array, contentType?: string): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fetch(url, {
          method,
          body,
          headers: contentType ? { 'content-type': contentType } : undefined,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
        if (!timedOut && attempt < NETWORK_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, NETWORK_RETRY_DELAY_MS * attempt));
          continue;
        }
        throw new TrackingError(`MLflow ${method} ${url} failed after ${attempt} attempt(s): ${describeFailure(cause)}`, true, { cause });
      }
    }
  }
}

const NETWORK_ATTEMPTS = 3;
const NETWORK_RETRY_DELAY_MS = 250;

/** fetch's own message is only "fetch failed": the reason (ECONNRESET, ECONNREFUSED, …) is in its cause. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  return cause ? `${error.message} (${cause.code ?? cause.message ?? 'unknown cause'})` : error.message;
}

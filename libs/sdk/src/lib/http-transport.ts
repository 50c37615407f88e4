import { randomUUID } from 'node:crypto';
import { ProvenanceApiError } from './provenance-api.error';

export interface RetryPolicy {
  /** Attempts after the first one. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export interface TransportOptions {
  apiKey: string;
  retry?: Partial<RetryPolicy>;
  /** Per attempt. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Waits between attempts (tests replace it). */
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 5, initialDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Calls the platform's services with the API key: POSTs JSON with an
 * Idempotency-Key, and GETs JSON. Network errors, 429 and 5xx are retried
 * with exponential backoff and full jitter; other 4xx never are. Every
 * attempt of one POST carries the same Idempotency-Key, so a retry after a
 * lost answer is a no-op on the platform.
 */
export class HttpTransport {
  private readonly retry: RetryPolicy;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TransportOptions) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async post<T>(
    url: string,
    body: unknown,
    idempotencyKey: string = randomUUID(),
  ): Promise<{ status: number; body: T }> {
    const payload = JSON.stringify(body);
    return this.withRetries(() =>
      this.attempt<T>(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: payload,
      }),
    );
  }

  /** The decoded JSON answer of a GET (reads are safe to retry, so they carry no Idempotency-Key). */
  async get<T>(url: string): Promise<T> {
    const { body } = await this.withRetries(() =>
      this.attempt<T>(url, { method: 'GET', headers: { accept: 'application/json' } }),
    );
    return body;
  }

  private async withRetries<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const apiError = error as ProvenanceApiError;
        if (!apiError.retriable || attempt >= this.retry.retries) throw error;
        const ceiling = Math.min(this.retry.maxDelayMs, this.retry.initialDelayMs * 2 ** attempt);
        await this.sleep(Math.random() * ceiling);
      }
    }
  }

  private async attempt<T>(
    url: string,
    request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  ): Promise<{ status: number; body: T }> {
    let response: Response;
    try {
      response = await this.fetch(url, {
        method: request.method,
        headers: { ...request.headers, authorization: `Bearer ${this.options.apiKey}` },
        body: request.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ProvenanceApiError(`${url} did not answer: ${(error as Error).message}`, 0, 'network', [], true);
    }
    return this.decode<T>(url, response);
  }

  /** The answer's JSON body, or the ProvenanceApiError its `{ error: { code, message, details } }` describes. */
  private async decode<T>(url: string, response: Response): Promise<{ status: number; body: T }> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) return { status: response.status, body: parsed as T };
    const error = (parsed as { error?: { code?: string; message?: string; details?: [] } })?.error;
    const retriable = response.status >= 500 || response.status === 429;
    throw new ProvenanceApiError(
      error?.message ?? `${url} answered ${response.status}`,
      response.status,
      error?.code ?? 'http_error',
      error?.details ?? [],
      retriable,
    );
  }
}

import type { AlertDocument } from '@prov/projections';
import type { AlertNotifier } from './alert-notifier.port';

export interface WebhookAlertNotifierOptions {
  url: string;
  /** Attempts after the first one, for network errors, timeouts, 429 and 5xx. */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  onOutcome?: (outcome: 'delivered' | 'failed', alert: AlertDocument, detail: string) => void;
}

/** What the webhook receives: the alert as `GET /v1/alerts` shows it. */
export interface AlertNotification {
  id: string;
  type: AlertDocument['type'];
  subject: string;
  modelVersionId: string;
  severity: AlertDocument['severity'];
  details: Record<string, unknown>;
  firstRecordedAt: string;
}

/**
 * Posts each raised alert once to a webhook (PROV_ALERT_WEBHOOK_URL), one at
 * a time in the order raised, retrying failures with exponential backoff.
 * An alert id is posted at most once per process even if it is raised again;
 * the request's Idempotency-Key is the alert id, so a receiver can drop the
 * repeat a restart could send.
 */
export class WebhookAlertNotifier implements AlertNotifier {
  private readonly posted = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: WebhookAlertNotifierOptions) {
    this.fetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  notify(alerts: readonly AlertDocument[]): void {
    for (const alert of alerts) {
      if (this.posted.has(alert._id)) continue;
      this.posted.add(alert._id);
      this.queue = this.queue.then(() => this.deliver(alert));
    }
  }

  idle(): Promise<void> {
    return this.queue;
  }

  private async deliver(alert: AlertDocument): Promise<void> {
    const { retries = 5, initialDelayMs = 500, maxDelayMs = 30_000 } = this.options;
    const body = JSON.stringify(notification(alert));
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await this.sleep(Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1)));
      const outcome = await this.attempt(alert, body);
      if (outcome === 'delivered')
        return this.options.onOutcome?.('delivered', alert, `after ${attempt + 1} attempt(s)`);
      last = outcome.reason;
      if (!outcome.retriable) break;
    }
    this.options.onOutcome?.('failed', alert, last);
  }

  /**
   * The webhook as logs name it: its origin alone, since a webhook URL often
   * carries its secret in the path or the query (Slack's, a token=...).
   */
  private get target(): string {
    return new URL(this.options.url).origin;
  }

  private async attempt(
    alert: AlertDocument,
    body: string,
  ): Promise<'delivered' | { retriable: boolean; reason: string }> {
    try {
      const response = await this.fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': alert._id },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      await response.arrayBuffer();
      if (response.ok) return 'delivered';
      return {
        retriable: response.status >= 500 || response.status === 429,
        reason: `${this.target} answered ${response.status}`,
      };
    } catch (error) {
      return { retriable: true, reason: `${this.target} did not answer: ${(error as Error).message}` };
    }
  }
}

function notification(alert: AlertDocument): AlertNotification {
  const { _id, type, subject, modelVersionId, severity, details, firstRecordedAt } = alert;
  return { id: _id, type, subject, modelVersionId, severity, details, firstRecordedAt };
}

import type { AlertDocument } from '@prov/projections';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookAlertNotifier } from './webhook-alert-notifier';

const alert = (subject: string): AlertDocument => ({
  _id: `prediction.revoked-model-version|${subject}`,
  type: 'prediction.revoked-model-version',
  subject,
  modelVersionId: subject,
  severity: 'critical',
  details: { predictions: 2 },
  firstRecordedAt: '2026-11-02T10:00:00.000Z',
});

describe('the alert webhook', () => {
  let server: Server;
  let url: string;
  /** Status answered to each next request (200 once they run out). */
  let statuses: number[];
  const received: Array<{ idempotencyKey?: string; body: Record<string, unknown> }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push({ idempotencyKey: req.headers['idempotency-key'] as string, body: JSON.parse(body) });
        res.writeHead(statuses.shift() ?? 200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    received.length = 0;
    statuses = [];
  });

  const notifier = (delays: number[], outcomes: string[], retries = 3) =>
    new WebhookAlertNotifier({
      url,
      retries,
      initialDelayMs: 100,
      maxDelayMs: 250,
      sleep: async (ms) => void delays.push(ms),
      onOutcome: (outcome, a, detail) => outcomes.push(`${outcome} ${a.subject} ${detail}`),
    });

  it('posts a raised alert with its id as the idempotency key, retrying failures with exponential backoff', async () => {
    statuses = [503, 500, 429];
    const delays: number[] = [];
    const outcomes: string[] = [];
    const webhook = notifier(delays, outcomes);
    webhook.notify([alert('model:churn@1')]);
    await webhook.idle();
    expect(received).toHaveLength(4);
    expect(received[3]).toEqual({
      idempotencyKey: 'prediction.revoked-model-version|model:churn@1',
      body: {
        id: 'prediction.revoked-model-version|model:churn@1',
        type: 'prediction.revoked-model-version',
        subject: 'model:churn@1',
        modelVersionId: 'model:churn@1',
        severity: 'critical',
        details: { predictions: 2 },
        firstRecordedAt: '2026-11-02T10:00:00.000Z',
      },
    });
    expect(delays).toEqual([100, 200, 250]);
    expect(outcomes).toEqual(['delivered model:churn@1 after 4 attempt(s)']);
  });

  it('posts each alert id once, however often it is raised', async () => {
    const outcomes: string[] = [];
    const webhook = notifier([], outcomes);
    webhook.notify([alert('model:a@1'), alert('model:b@1')]);
    webhook.notify([alert('model:a@1')]);
    await webhook.idle();
    webhook.notify([alert('model:b@1'), alert('model:a@1')]);
    await webhook.idle();
    expect(received.map((r) => r.body['subject'])).toEqual(['model:a@1', 'model:b@1']);
    expect(outcomes).toHaveLength(2);
  });

  it('gives up after the last retry, and at once on a refusal that retrying cannot change', async () => {
    statuses = [500, 500, 400];
    const outcomes: string[] = [];
    const webhook = notifier([], outcomes, 1);
    webhook.notify([alert('model:a@1'), alert('model:b@1')]);
    await webhook.idle();
    expect(received.map((r) => r.body['subject'])).toEqual(['model:a@1', 'model:a@1', 'model:b@1']);
    const origin = new URL(url).origin;
    expect(outcomes).toEqual([`failed model:a@1 ${origin} answered 500`, `failed model:b@1 ${origin} answered 400`]);
  });

  it('retries a webhook that does not answer', async () => {
    const outcomes: string[] = [];
    const webhook = new WebhookAlertNotifier({
      url: 'http://127.0.0.1:1/services/T000/B000/secret-part?token=s3cr3t',
      retries: 2,
      sleep: async () => undefined,
      onOutcome: (outcome, _, detail) => outcomes.push(`${outcome} ${detail}`),
    });
    webhook.notify([alert('model:a@1')]);
    await webhook.idle();
    // Named by its origin: a webhook URL's path and query often carry its secret.
    expect(outcomes).toEqual([expect.stringMatching(/^failed http:\/\/127\.0\.0\.1:1 did not answer/)]);
    expect(outcomes.join('')).not.toMatch(/secret-part|s3cr3t/);
  });
});

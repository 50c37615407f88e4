import { DeliveryLedger, SentRequest } from '../ledger/delivery-ledger';

/** One request of a load: what it carries and how the service answered. */
export type SendRequest = (sequence: number) => Promise<SentRequest>;

/**
 * A load at a steady rate: one request every `intervalMs`, at most
 * `maxOutstanding` unanswered at once (a tick with that many out sends
 * nothing, and is counted as skipped), every answer kept in the ledger.
 */
export class SteadyLoad {
  readonly ledger = new DeliveryLedger();
  skippedTicks = 0;
  private sequence = 0;
  private timer?: NodeJS.Timeout;
  private readonly outstanding = new Set<Promise<void>>();

  constructor(
    private readonly send: SendRequest,
    private readonly intervalMs: number,
    private readonly maxOutstanding = 4,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.tick();
    return this;
  }

  /** Stops sending and waits for the answers still out. */
  async stop(): Promise<DeliveryLedger> {
    clearInterval(this.timer);
    await Promise.all([...this.outstanding]);
    return this.ledger;
  }

  private tick(): void {
    if (this.outstanding.size >= this.maxOutstanding) {
      this.skippedTicks += 1;
      return;
    }
    const request = this.send(this.sequence++).then((sent) => this.ledger.record(sent));
    this.outstanding.add(request);
    void request.finally(() => this.outstanding.delete(request));
  }
}

/** A JSON request's outcome: 2xx is acknowledged; an error status or a network failure is not. */
export async function requestJson(
  url: string,
  token: string,
  body?: unknown,
  timeoutMs = 15_000,
): Promise<{ acknowledged: boolean; answer: number | string }> {
  try {
    const response = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return { acknowledged: response.ok, answer: response.status };
  } catch (error) {
    // fetch reports a refused or reset connection as a TypeError whose cause has the code.
    const cause = (error as { cause?: { code?: string } }).cause;
    return { acknowledged: false, answer: cause?.code ?? (error as Error).name };
  }
}

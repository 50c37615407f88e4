import autocannon from 'autocannon';
import { Agent, request as httpRequest } from 'node:http';

export interface HttpLoad {
  url: string;
  connections: number;
  seconds: number;
  requests: autocannon.Request[];
}

export interface HttpLoadResult {
  /** Every answer's latency (ms), at sub-millisecond resolution like the raw measurements (autocannon's own histogram keeps whole ms). */
  latencies: number[];
  seconds: number;
  statusCodes: Record<string, number>;
}

/** Runs autocannon; fails on any error or non-2xx answer, since a fast wrong answer is not a figure. */
export async function runHttpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url: load.url,
        connections: load.connections,
        duration: load.seconds,
        timeout: 30,
        requests: load.requests,
      },
      (error, outcome) => (error ? fail(error) : done(outcome)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${load.url}: ${result.errors} errors and ${result.non2xx} non-2xx answers under load (status codes ${JSON.stringify(statusCodes)})`,
    );
  }
  return { latencies, seconds: result.duration, statusCodes };
}

/**
 * GETs over at most `connections` kept-alive connections, for a steady offered
 * rate (runAtRate): autocannon's own rate limit starts every connection's
 * request on one tick, so its latencies would measure those bursts.
 */
export class KeptAliveGets {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: string,
    connections: number,
    private readonly headers: Record<string, string>,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  /** Resolves with the answer's latency (ms) once its whole body has arrived; rejects on a non-2xx answer. */
  get(path: string): Promise<number> {
    const started = performance.now();
    return new Promise((done, fail) => {
      const req = httpRequest(new URL(path, this.baseUrl), { agent: this.agent, headers: this.headers }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) done(performance.now() - started);
          else fail(new Error(`GET ${path}: HTTP ${status}`));
        });
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

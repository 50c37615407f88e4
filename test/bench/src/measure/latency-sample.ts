/** Latencies of one measurement (milliseconds), summarised the same way for our figure and the raw one. */
export interface LatencySummary {
  count: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class LatencySample {
  private readonly values: number[] = [];

  add(milliseconds: number): void {
    this.values.push(milliseconds);
  }

  get count(): number {
    return this.values.length;
  }

  /** Nearest-rank percentiles over every recorded value. */
  summary(seconds: number): LatencySummary {
    const sorted = Float64Array.from(this.values).sort();
    const at = (p: number) =>
      sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
    return {
      count: sorted.length,
      requestsPerSecond: sorted.length / seconds,
      p50: at(50),
      p95: at(95),
      p99: at(99),
      max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1],
    };
  }
}

/** Calls `operation` for about `seconds`, `concurrency` calls at a time; resolves with how many completed and the time taken. */
export async function runFor(
  seconds: number,
  concurrency: number,
  operation: () => Promise<void>,
): Promise<{ operations: number; seconds: number }> {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let operations = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (process.hrtime.bigint() < deadline) {
        await operation();
        operations += 1;
      }
    }),
  );
  return { operations, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * Starts `operation` `rate` times a second for about `seconds`, with at most
 * `concurrency` calls in flight (a start waits for a free one, as autocannon's
 * rate limit does), and resolves once every call has completed.
 */
export async function runAtRate(
  seconds: number,
  rate: number,
  concurrency: number,
  operation: () => Promise<void>,
): Promise<{ operations: number; seconds: number }> {
  const started = performance.now();
  const total = Math.max(1, Math.round(seconds * rate));
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  for (let i = 0; i < total && failure === undefined; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolveWait) => setTimeout(resolveWait, wait));
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const call: Promise<void> = operation().then(
      () => void inFlight.delete(call),
      (error: unknown) => {
        failure ??= error;
        inFlight.delete(call);
      },
    );
    inFlight.add(call);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  return { operations: total, seconds: (performance.now() - started) / 1000 };
}

/** Calls a synchronous `operation` for about `seconds`; resolves with how many calls per second it made. */
export function ratePerSecond(seconds: number, operation: () => void): number {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  let operations = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 10; i++) operation();
    operations += 10;
  }
  return operations / (Number(process.hrtime.bigint() - started) / 1e9);
}

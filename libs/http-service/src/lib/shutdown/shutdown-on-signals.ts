import type { Logger } from '@prov/logging';

/** One part of a service to stop: its HTTP server, the projector, the event log, the store. */
export interface ShutdownStep {
  /** How the log names it. */
  name: string;
  stop: () => Promise<unknown>;
}

/**
 * Stops the steps one after another (the HTTP servers first, so that no
 * request comes in while the work in flight finishes), within `timeoutMs` in
 * all: a step that waits on a server that is gone (a publish to Kafka, a
 * write to the store) would otherwise hold the process for its driver's own
 * timeouts. Resolves to the exit code: 0 when every step finished, 1 when one
 * failed or the deadline passed; either is logged, naming the steps
 * abandoned.
 */
export async function shutDown(steps: ShutdownStep[], timeoutMs: number, logger: Logger): Promise<number> {
  let current = 0;
  let failed = false;
  const stopped = (async () => {
    for (; current < steps.length; current++) {
      const { name, stop } = steps[current];
      try {
        await stop();
      } catch (error) {
        failed = true;
        logger.error({ err: error }, `while stopping the ${name}: ${(error as Error).message}`);
      }
    }
    return 'stopped' as const;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
  const outcome = await Promise.race([stopped, deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    const abandoned = steps.slice(current).map(({ name }) => name);
    logger.error(
      { abandoned },
      `not stopped within ${timeoutMs} ms (PROV_SHUTDOWN_TIMEOUT_MS): abandoned the ${abandoned.join(', the ')}`,
    );
    return 1;
  }
  return failed ? 1 : 0;
}

/** On SIGTERM or SIGINT: shutDown, then exit with its code. */
export function exitOnSignals(steps: ShutdownStep[], timeoutMs: number, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping (within ${timeoutMs} ms)`);
    void shutDown(steps, timeoutMs, logger).then((code) => process.exit(code));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

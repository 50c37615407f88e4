/**
 * Reads a log over and over, one piece of work at a time: `read` runs
 * again at once while it finds records, and after `pollIntervalMs` when it
 * found none or failed (a log or store away for a while is waited for, as
 * the views' feed does). Other work given to `serialized` takes its turn
 * between reads.
 */
export class SerialPoller {
  private serial: Promise<unknown> = Promise.resolve();
  private running?: Promise<void>;
  private stopped = false;
  private wake?: () => void;

  constructor(
    private readonly read: () => Promise<number>,
    private readonly pollIntervalMs: number,
  ) {}

  start(): void {
    this.stopped = false;
    this.running = this.pump();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    await this.serial.catch(() => undefined);
  }

  serialized<T>(work: () => Promise<T>): Promise<T> {
    const run = this.serial.then(work);
    this.serial = run.catch(() => undefined);
    return run;
  }

  /** Reads until nothing is left, now: resolves with the number of records read. */
  catchUp(): Promise<number> {
    return this.serialized(async () => {
      let total = 0;
      for (let read = await this.read(); read > 0; read = await this.read()) total += read;
      return total;
    });
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      let read = 0;
      try {
        read = await this.serialized(this.read);
      } catch {
        // Tried again after the interval.
      }
      if (read === 0 && !this.stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollIntervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }
}

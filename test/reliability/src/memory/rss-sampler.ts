import { residentMemoryOf } from '@prov/testing';
import type { RssSample } from './memory-curve';

/** Reads the RSS of named processes every `intervalMs` until stopped; a process that is gone fails the run. */
export class RssSampler {
  readonly curves = new Map<string, RssSample[]>();
  private timer?: NodeJS.Timeout;
  private started = 0;
  private readonly missing: string[] = [];

  constructor(
    private readonly pids: Readonly<Record<string, number>>,
    private readonly intervalMs: number,
  ) {
    for (const name of Object.keys(pids)) this.curves.set(name, []);
  }

  start(): void {
    this.started = Date.now();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Stops sampling; throws if a process disappeared while sampled. */
  stop(): void {
    clearInterval(this.timer);
    this.sample();
    if (this.missing.length > 0) throw new Error(`processes exited during the soak: ${this.missing.join(', ')}`);
  }

  private sample(): void {
    const atS = (Date.now() - this.started) / 1000;
    for (const [name, pid] of Object.entries(this.pids)) {
      const rssBytes = residentMemoryOf(pid, 'current');
      if (rssBytes === undefined) {
        if (!this.missing.includes(name)) this.missing.push(name);
        continue;
      }
      this.curves.get(name)?.push({ atS, rssBytes });
    }
  }
}

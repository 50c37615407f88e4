import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const DIRECTORY = resolve(__dirname, '..', '..', '..', '..', '.cache', 'test-artifacts', 'hostile');

/** Writes a suite's measurements (inputs tried, answers, dead letters) where test/hostile/RESULTS.md is drawn from. */
export function writeResults(suite: string, results: object): void {
  mkdirSync(DIRECTORY, { recursive: true });
  writeFileSync(
    join(DIRECTORY, `${suite}.json`),
    `${JSON.stringify({ suite, finishedAt: new Date().toISOString(), ...results }, null, 2)}\n`,
  );
}

/** Counts answers by status code. */
export class StatusTally {
  readonly byStatus: Record<string, number> = {};
  inputs = 0;

  add(status: number): void {
    this.inputs += 1;
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
  }

  count(predicate: (status: number) => boolean): number {
    return Object.entries(this.byStatus)
      .filter(([status]) => predicate(Number(status)))
      .reduce((sum, [, n]) => sum + n, 0);
  }
}

import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

/** Where the suites write what they measured (git-ignored); RESULTS.md is transcribed from it. */
export const ARTIFACTS_DIR = join(ROOT, '.cache', 'test-artifacts', 'reliability');

/** Writes one measurement as `<name>.json`, with the date and the machine it ran on. */
export function writeMeasurement(name: string, measurement: object): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name}.json`);
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model, memoryBytes: totalmem(), node: process.version };
  writeFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), machine, ...measurement }, null, 2)}\n`);
  return file;
}

/** A progress line on stderr, so that a slow or stuck phase of a long suite shows where it is. */
export function note(message: string): void {
  process.stderr.write(`[reliability ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

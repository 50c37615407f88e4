import { randomBytes } from 'node:crypto';

/**
 * Names of topics, consumer groups and databases that no other test run
 * uses: a run id (set once per run by the global setup, so that a run's
 * leftovers are recognisable) plus a per-process counter.
 */
let counter = 0;

export function testRunId(): string {
  const id = process.env['PROV_TEST_RUN_ID'];
  if (id) return id;
  process.env['PROV_TEST_RUN_ID'] = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return process.env['PROV_TEST_RUN_ID'];
}

export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${testRunId()}-${process.pid}-${counter}`;
}

import { randomBytes } from 'node:crypto';

const AUDIT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A new live generation's name: when it was started, and a few random characters. */
export function newLiveGenerationName(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', 't').slice(0, 15);
  return `live-${stamp}-${randomBytes(2).toString('hex')}`;
}

export class InvalidAuditNameError extends Error {
  readonly retriable = false;
  constructor(name: string) {
    super(
      `an audit generation is named by 1 to 40 of [a-z0-9-], starting with a letter or digit (not ${JSON.stringify(name)})`,
    );
    this.name = 'InvalidAuditNameError';
  }
}

export function auditGenerationName(name: string): string {
  if (!AUDIT_NAME.test(name)) throw new InvalidAuditNameError(name);
  return `audit-${name}`;
}

/** The consumer group whose committed offsets are a generation's progress. */
export function generationGroupId(generation: string): string {
  return `provenance-projector.${generation}`;
}

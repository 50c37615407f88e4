import { randomBytes } from 'node:crypto';

const AUDIT_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * The first live generation's name, the same in every replica: replicas
 * that start together on an empty store all build this one, sharing its
 * partitions, rather than one generation each.
 */
export const FIRST_LIVE_GENERATION = 'live-first';

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

/**
 * The consumer group of an audit generation: its name and when it was
 * created, so that every replica folding it joins the same group, and one
 * made again under the same name starts from the earliest offsets.
 */
export function auditGroupId(generation: string, createdAt: string): string {
  return `${generationGroupId(generation)}.${createdAt.replace(/[^0-9]/g, '')}`;
}

/** The consumer group whose committed offsets are a generation's progress. */
export function generationGroupId(generation: string): string {
  return `provenance-projector.${generation}`;
}

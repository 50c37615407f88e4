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
 * The consumer group whose committed offsets are a generation's progress.
 * A name used again (an audit made again under its name, the first live
 * generation of every store) also carries when the generation was created:
 * every replica reading the store's record of it joins the same group, while
 * a generation made anew (a store emptied, another store on the same Kafka)
 * starts from the earliest offsets. Other live generations' names are unique.
 */
export function generationGroupId(generation: { name: string; kind: 'live' | 'audit'; createdAt: string }): string {
  const base = `provenance-projector.${generation.name}`;
  const reused = generation.kind === 'audit' || generation.name === FIRST_LIVE_GENERATION;
  return reused ? `${base}.${generation.createdAt.replace(/[^0-9]/g, '')}` : base;
}

/**
 * The consumer group of the audit log's feed: one per platform on a Kafka
 * cluster, so the topic prefix (platforms sharing a cluster) is part of it.
 */
export function auditLogGroupId(topicPrefix = ''): string {
  return `${topicPrefix}provenance-projector.audit-log`;
}

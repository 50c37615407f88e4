import { MerkleAccumulator, SignedCheckpoint, canonicalJson, leafHash } from '@prov/integrity';
import type {
  AuditLogEvidence,
  AuditTrust,
  AuditVerificationReport,
  Divergence,
  LogSummary,
  LoggedEvent,
} from './audit-evidence';
import { AuditKeys, DEFAULT_CHECKPOINT_SIGNERS, checkpointSignatureDivergence, envelopeDivergence } from './audit-keys';

const hex = (hash: Buffer) => hash.toString('hex');

/**
 * Verifies whole audit logs offline: every event's digest and signature,
 * every leaf (against the one the platform stored, when given), the root of
 * every signed checkpoint recomputed from the events, every checkpoint
 * signature, and that no two checkpoints of a log fork (roots recomputed
 * from one sequence of leaves are consistent by construction). With
 * `requireCheckpoint`, events after a log's last checkpoint are a
 * divergence too. Pure and synchronous; each log stops at its first
 * divergence, named exactly.
 */
export function verifyAuditLogs(evidence: AuditLogEvidence, trust: AuditTrust): AuditVerificationReport {
  const keys = new AuditKeys(trust.keys);
  const signers = trust.checkpointSigners ?? DEFAULT_CHECKPOINT_SIGNERS;
  const requireSignatures = trust.requireSignatures ?? true;
  const requireCheckpoint = trust.requireCheckpoint ?? false;
  const eventsByLog = groupBy(evidence.events, (e) => e.logId);
  const checkpointsByLog = groupBy(evidence.checkpoints, (c) => c.logId);
  const logIds = [...new Set([...eventsByLog.keys(), ...checkpointsByLog.keys()])].sort();
  const logs: LogSummary[] = [];
  const divergences: Divergence[] = [];
  const firstPlaces = new Map<string, { logId: string; index: number }>();
  for (const logId of logIds) {
    const events = eventsByLog.get(logId) ?? [];
    const checkpoints = [...(checkpointsByLog.get(logId) ?? [])].sort((a, b) => a.treeSize - b.treeSize);
    const outcome = verifyLog(logId, events, checkpoints, keys, signers, requireSignatures);
    logs.push({ logId, events: events.length, checkpoints: checkpoints.length, verifiedTreeSize: outcome.verified });
    const divergence =
      outcome.divergence ??
      duplicateDivergence(logId, events, firstPlaces) ??
      (requireCheckpoint ? uncoveredDivergence(logId, events, outcome.verified) : undefined);
    if (divergence) divergences.push(divergence);
  }
  return { ok: divergences.length === 0, logs, divergence: divergences[0], divergences };
}

/**
 * The first event of a log whose id an earlier leaf (of this log, or of one
 * verified before it) already holds: a copy appended again. `firstPlaces`
 * keeps where each id was first seen, across logs.
 */
function duplicateDivergence(
  logId: string,
  events: readonly LoggedEvent[],
  firstPlaces: Map<string, { logId: string; index: number }>,
): Divergence | undefined {
  let found: Divergence | undefined;
  events.forEach((logged, index) => {
    const eventId = eventIdOf(logged.event);
    if (eventId === undefined) return;
    const first = firstPlaces.get(eventId);
    if (!first) {
      firstPlaces.set(eventId, { logId, index });
      return;
    }
    found ??= {
      kind: 'duplicate-event',
      logId,
      index,
      eventId,
      expected: `event ${eventId} once, at ${first.index} of ${first.logId}`,
      found: `event ${eventId} again at ${index} of ${logId}`,
      message: `event ${eventId} is logged twice: at ${first.index} of ${first.logId} and at ${index} of ${logId}`,
    };
  });
  return found;
}

/** The first event of a log that no verified checkpoint covers, when there is one. */
function uncoveredDivergence(logId: string, events: readonly LoggedEvent[], verified: number): Divergence | undefined {
  if (verified >= events.length) return undefined;
  const uncovered = events.length - verified;
  return {
    kind: 'not-checkpointed',
    logId,
    index: verified,
    eventId: eventIdOf(events[verified].event),
    expected: `a signed checkpoint at tree size ${events.length}`,
    found: verified === 0 ? 'no signed checkpoint' : `the last signed checkpoint at tree size ${verified}`,
    message: `${uncovered} of the ${events.length} events of ${logId} are covered by no signed checkpoint, from index ${verified}`,
  };
}

function verifyLog(
  logId: string,
  events: readonly LoggedEvent[],
  checkpoints: readonly SignedCheckpoint[],
  keys: AuditKeys,
  signers: readonly string[],
  requireSignatures: boolean,
): { verified: number; divergence?: Divergence } {
  let verified = 0;
  for (let i = 1; i < checkpoints.length; i++) {
    const [a, b] = [checkpoints[i - 1], checkpoints[i]];
    if (a.treeSize === b.treeSize && a.rootHash !== b.rootHash) {
      return {
        verified,
        divergence: {
          kind: 'checkpoint-fork',
          logId,
          index: a.treeSize - 1,
          expected: a.rootHash,
          found: b.rootHash,
          message: `two signed checkpoints of ${logId} at tree size ${a.treeSize} have different roots`,
        },
      };
    }
  }
  const tree = new MerkleAccumulator();
  let leafMismatch: Divergence | undefined;
  let next = 0;
  const settle = (size: number): Divergence | undefined => {
    for (; next < checkpoints.length && checkpoints[next].treeSize <= size; next++) {
      const checkpoint = checkpoints[next];
      const signature = checkpointSignatureDivergence(checkpoint, keys, signers);
      if (signature) return signature;
      const root = hex(tree.root());
      if (leafMismatch) {
        // The events agree with the signed root: what the platform stored is what was altered.
        return root === checkpoint.rootHash
          ? {
              ...leafMismatch,
              kind: 'stored-leaf',
              expected: leafMismatch.found,
              found: leafMismatch.expected,
              message: `the stored leaf ${leafMismatch.index} of ${logId} (event ${leafMismatch.eventId}) differs from the event, which the signed root confirms`,
            }
          : leafMismatch;
      }
      if (root !== checkpoint.rootHash) {
        return {
          kind: 'checkpoint-root',
          logId,
          index: checkpoint.treeSize - 1,
          eventId: eventIdOf(events[checkpoint.treeSize - 1]?.event),
          expected: checkpoint.rootHash,
          found: root,
          message: `the root of the first ${checkpoint.treeSize} events of ${logId} is not the signed one`,
        };
      }
      verified = checkpoint.treeSize;
    }
    return undefined;
  };
  for (let index = 0; index < events.length; index++) {
    const logged = events[index];
    const eventId = eventIdOf(logged.event);
    const place = { logId, index };
    const misplaced = placeDivergence(events, index, eventId);
    if (misplaced) return { verified, divergence: misplaced };
    const envelope = envelopeDivergence(logged.event, keys, requireSignatures, place);
    if (envelope) return { verified, divergence: envelope };
    const leaf = leafOf(logged.event);
    tree.append(leaf);
    if (!leafMismatch && logged.leafHash !== undefined && logged.leafHash !== hex(leaf)) {
      leafMismatch = {
        kind: 'leaf-hash',
        ...place,
        eventId,
        expected: logged.leafHash,
        found: hex(leaf),
        message: `event ${eventId} is not the event logged at ${index} of ${logId}`,
      };
    }
    const settled = settle(tree.size);
    if (settled) return { verified, divergence: settled };
  }
  if (leafMismatch) return { verified, divergence: leafMismatch };
  const beyond = checkpoints[next];
  if (beyond) {
    return {
      verified,
      divergence: {
        kind: 'checkpoint-beyond-log',
        logId,
        index: events.length,
        expected: `${beyond.treeSize} events`,
        found: `${events.length} events`,
        message: `a signed checkpoint of ${logId} covers ${beyond.treeSize} events, and only ${events.length} are there`,
      },
    };
  }
  return { verified };
}

/** An event whose recorded index is not its position: one before it is missing, or two changed places. */
function placeDivergence(events: readonly LoggedEvent[], index: number, eventId?: string): Divergence | undefined {
  const recorded = events[index].index;
  if (recorded === undefined || recorded === index) return undefined;
  const logId = events[index].logId;
  const laterAtItsPlace = events.findIndex((e, at) => at > index && e.index === index);
  if (recorded > index && laterAtItsPlace === -1) {
    return {
      kind: 'missing-event',
      logId,
      index,
      eventId,
      expected: `leaf ${index}`,
      found: `leaf ${recorded} (event ${eventId})`,
      message: `the event logged at ${index} of ${logId} is missing: event ${eventId}, logged at ${recorded}, comes in its stead`,
    };
  }
  return {
    kind: 'out-of-order',
    logId,
    index,
    eventId,
    expected: `leaf ${index}${laterAtItsPlace === -1 ? '' : ` (event ${eventIdOf(events[laterAtItsPlace].event)})`}`,
    found: `leaf ${recorded} (event ${eventId})`,
    message: `event ${eventId}, logged at ${recorded} of ${logId}, comes at ${index}`,
  };
}

/** The audit leaf of an envelope as published (auditLeafHash), or of what stands in for one. */
export function leafOf(event: unknown): Buffer {
  let data: string;
  try {
    data = canonicalJson(event);
  } catch {
    data = JSON.stringify(event) ?? '';
  }
  return leafHash(Buffer.from(data, 'utf8'));
}

export function eventIdOf(event: unknown): string | undefined {
  const id = (event as { eventId?: unknown } | null)?.eventId;
  return typeof id === 'string' ? id : undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item)) ?? [];
    group.push(item);
    groups.set(key(item), group);
  }
  return groups;
}

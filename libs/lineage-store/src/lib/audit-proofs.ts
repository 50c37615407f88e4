import {
  ConsistencyProof,
  Hash,
  InclusionProof,
  LeafHashSource,
  SubtreeAddress,
  consistencyProof,
  consistencyProofSubtrees,
  inclusionProof,
  inclusionProofSubtrees,
} from '@prov/integrity';
import { AuditLeaf, AuditLogStore, nodeKey } from './audit-log.port';

export type { ConsistencyProof, InclusionProof } from '@prov/integrity';

export type ProofFailure =
  | { kind: 'unknown-event' }
  | { kind: 'not-checkpointed'; leaf: AuditLeaf }
  | { kind: 'unknown-checkpoint'; logId: string; treeSize: number }
  | { kind: 'unknown-log' };

/**
 * The inclusion proof of an event at the checkpoint of `treeSize` (by
 * default its log's latest, which must already cover the event): O(log n)
 * point reads of stored subtree roots.
 */
export async function inclusionProofOf(
  store: AuditLogStore,
  eventId: string,
  treeSize?: number,
): Promise<InclusionProof | ProofFailure> {
  const leaf = await store.leafByEventId(eventId);
  if (!leaf) return { kind: 'unknown-event' };
  const checkpoint =
    treeSize === undefined ? await store.latestCheckpoint(leaf.logId) : await store.checkpoint(leaf.logId, treeSize);
  if (!checkpoint) {
    return treeSize === undefined
      ? { kind: 'not-checkpointed', leaf }
      : { kind: 'unknown-checkpoint', logId: leaf.logId, treeSize };
  }
  if (leaf.index >= checkpoint.treeSize) return { kind: 'not-checkpointed', leaf };
  const source = await loadSource(
    store,
    leaf.logId,
    checkpoint.treeSize,
    inclusionProofSubtrees(leaf.index, checkpoint.treeSize),
  );
  return {
    eventId,
    logId: leaf.logId,
    leafIndex: leaf.index,
    leafHash: leaf.leafHash,
    treeSize: checkpoint.treeSize,
    proof: inclusionProof(leaf.index, checkpoint.treeSize, source).map((h) => h.toString('hex')),
    checkpoint,
  };
}

/** The consistency proof between two checkpoints of one log. */
export async function consistencyProofOf(
  store: AuditLogStore,
  logId: string,
  from: number,
  to: number,
): Promise<ConsistencyProof | ProofFailure> {
  const [older, newer] = await Promise.all([store.checkpoint(logId, from), store.checkpoint(logId, to)]);
  if (!older) return { kind: 'unknown-checkpoint', logId, treeSize: from };
  if (!newer) return { kind: 'unknown-checkpoint', logId, treeSize: to };
  const source = await loadSource(store, logId, to, consistencyProofSubtrees(from, to));
  return { logId, from: older, to: newer, proof: consistencyProof(from, to, source).map((h) => h.toString('hex')) };
}

/** A leaf source of just the subtree roots a proof reads (they are complete subtrees, so all are stored). */
async function loadSource(
  store: AuditLogStore,
  logId: string,
  size: number,
  addresses: SubtreeAddress[],
): Promise<LeafHashSource> {
  const hashes = await store.nodes(logId, addresses);
  const read = (level: number, index: number): Hash => {
    const hex = hashes.get(nodeKey(level, index));
    if (hex === undefined) throw new Error(`the audit log ${logId} lacks its subtree ${nodeKey(level, index)}`);
    return Buffer.from(hex, 'hex');
  };
  return {
    size,
    get: (index) => read(0, index),
    subtreeRoot: (level, index) => (hashes.has(nodeKey(level, index)) ? read(level, index) : undefined),
  };
}
